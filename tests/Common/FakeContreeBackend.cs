using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>
/// A complete in-memory <see cref="IContreeBackend"/> that behaves like the real API (NotFound for unknown ids,
/// tags that move, content-addressed files, operations that go PENDING → EXECUTING → terminal). Instances finish
/// through <see cref="RunHandler"/>; <see cref="FakeRunOutcome.Hold"/> keeps one EXECUTING until released.
/// Failures can be injected per method; calls and requests are recorded for assertions.
/// Use <see cref="AsPollingOnly"/> to hide the <see cref="IOperationCompletion"/> capability.
/// </summary>
public sealed partial class FakeContreeBackend : IContreeBackend, IOperationCompletion
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, FakeImage> _images = new(StringComparer.Ordinal);
    private readonly List<string> _imageOrder = [];
    private readonly Dictionary<string, byte[]> _filesByUuid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _fileUuidBySha = new(StringComparer.Ordinal);
    private readonly Dictionary<string, FakeOperation> _operations = new(StringComparer.Ordinal);
    private readonly List<string> _operationOrder = [];
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ConcurrentQueue<Exception>> _nextFailures = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Exception> _failures = new(StringComparer.Ordinal);
    private long _clock = new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds();

    /// <summary>Decides how each instance ends. Default: <see cref="FakeRunOutcome.Echo"/>.</summary>
    public Func<InstanceMetadata, FakeRunOutcome> RunHandler { get; set; } = FakeRunOutcome.Echo;

    /// <summary>Decides how each import ends (only <see cref="FakeRunOutcome.Error"/> and <see cref="FakeRunOutcome.Hold"/> matter).</summary>
    public Func<ImportImageMetadata, FakeRunOutcome> ImportHandler { get; set; } = _ => new FakeRunOutcome();

    /// <summary>
    /// Number of <see cref="GetOperationAsync"/> reads that still see EXECUTING before a new operation completes
    /// (0: operations complete during spawn). Lets polling paths observe non-terminal states deterministically.
    /// </summary>
    public int ReadsBeforeCompletion { get; set; }

    /// <summary>
    /// When positive, new operations stay EXECUTING for this long of wall-clock time and then complete on their own
    /// (takes precedence over <see cref="ReadsBeforeCompletion"/>; ignored for held outcomes).
    /// </summary>
    public TimeSpan CompletionDelay { get; set; }

    /// <summary>
    /// Awaited at the start of every <see cref="GetOperationAsync"/> with the caller's token, before the state is read:
    /// lets a test hold a reader inside the backend (e.g. while the caller shuts down).
    /// </summary>
    public Func<string, CancellationToken, Task>? BeforeOperationRead { get; set; }

    /// <summary>Every instance request in arrival order.</summary>
    public ConcurrentQueue<InstanceMetadata> SpawnRequests { get; } = new();

    /// <summary>Every import request in arrival order (credentials included, for assertions).</summary>
    public ConcurrentQueue<ImportImageMetadata> ImportRequests { get; } = new();

    /// <summary>Ids passed to <see cref="CancelOperationAsync"/> in arrival order (also for terminal ones).</summary>
    public ConcurrentQueue<string> CancelRequests { get; } = new();

    /// <summary>How often a member of <see cref="IContreeBackend"/> was called, by method name (e.g. nameof(GetOperationAsync)).</summary>
    public int CallCount(string method) => _calls.TryGetValue(method, out var count) ? count : 0;

    /// <summary>The next <paramref name="times"/> calls of <paramref name="method"/> throw <paramref name="error"/>.</summary>
    public void FailNext(string method, Exception error, int times = 1)
    {
        var queue = _nextFailures.GetOrAdd(method, _ => new ConcurrentQueue<Exception>());
        for (var i = 0; i < times; i++)
        {
            queue.Enqueue(error);
        }
    }

    /// <summary>Every call of <paramref name="method"/> throws <paramref name="error"/> until <see cref="ClearFailures"/>.</summary>
    public void FailAlways(string method, Exception error) => _failures[method] = error;

    public void ClearFailures()
    {
        _failures.Clear();
        _nextFailures.Clear();
    }

    /// <summary>A view of this backend WITHOUT <see cref="IOperationCompletion"/>, so callers must poll.</summary>
    public IContreeBackend AsPollingOnly() => new PollingOnlyView(this);

    // ---- images -------------------------------------------------------------------------------------------------

    public Task<ImageListResponse> ListImagesAsync(ImageListQuery query, CancellationToken cancellationToken = default)
    {
        Enter(nameof(ListImagesAsync));
        lock (_gate)
        {
            var prefix = query.NormalizedTagPrefix;
            var images = _imageOrder.Select(id => _images[id])
                .Where(i => query.Tagged is null || (i.Tag is not null) == query.Tagged)
                .Where(i => prefix is null || (i.Tag?.StartsWith(prefix, StringComparison.Ordinal) ?? false))
                .Skip(query.Offset).Take(query.Limit)
                .Select(i => i.ToModel()).ToList();
            return Task.FromResult(new ImageListResponse { Images = images });
        }
    }

    public Task<Image> TagImageAsync(string imageUuid, string tag, CancellationToken cancellationToken = default)
    {
        Enter(nameof(TagImageAsync));
        if (string.IsNullOrWhiteSpace(tag))
        {
            throw ContreeException.InvalidArgument("tag must not be empty");
        }

        lock (_gate)
        {
            var image = FindImage(imageUuid);
            foreach (var other in _images.Values.Where(i => i.Tag == tag))
            {
                other.Tag = null;
            }

            image.Tag = tag;
            return Task.FromResult(image.ToModel());
        }
    }

    public Task UntagImageAsync(string imageUuid, CancellationToken cancellationToken = default)
    {
        Enter(nameof(UntagImageAsync));
        lock (_gate)
        {
            FindImage(imageUuid).Tag = null;
        }

        return Task.CompletedTask;
    }

    public Task<Image> GetImageByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        Enter(nameof(GetImageByTagAsync));
        lock (_gate)
        {
            var image = _images.Values.FirstOrDefault(i => i.Tag == tag)
                ?? throw ContreeException.NotFound($"Image not found: tag '{tag}'");
            return Task.FromResult(image.ToModel());
        }
    }

    public Task<Image> GetImageAsync(string imageUuid, CancellationToken cancellationToken = default)
    {
        Enter(nameof(GetImageAsync));
        lock (_gate)
        {
            return Task.FromResult(FindImage(imageUuid).ToModel());
        }
    }

    // ---- files --------------------------------------------------------------------------------------------------

    public async Task<FileResponse> UploadFileAsync(Stream content, CancellationToken cancellationToken = default)
    {
        Enter(nameof(UploadFileAsync));
        using var buffer = new MemoryStream();
        await content.CopyToAsync(buffer, cancellationToken);
        return StoreFile(buffer.ToArray());
    }

    public Task<FileResponse?> GetFileByHashAsync(string sha256, CancellationToken cancellationToken = default)
    {
        Enter(nameof(GetFileByHashAsync));
        lock (_gate)
        {
            return Task.FromResult(_fileUuidBySha.TryGetValue(sha256, out var uuid) ? new FileResponse { Uuid = uuid, Sha256 = sha256 } : null);
        }
    }

    public Task<bool> FileExistsByHashAsync(string sha256, CancellationToken cancellationToken = default)
    {
        Enter(nameof(FileExistsByHashAsync));
        lock (_gate)
        {
            return Task.FromResult(_fileUuidBySha.ContainsKey(sha256));
        }
    }

    public Task<bool> FileExistsByUuidAsync(string fileUuid, CancellationToken cancellationToken = default)
    {
        Enter(nameof(FileExistsByUuidAsync));
        lock (_gate)
        {
            return Task.FromResult(_filesByUuid.ContainsKey(fileUuid));
        }
    }

    /// <summary>Stores content as if uploaded (deduplicated by sha256) and returns its file response.</summary>
    public FileResponse StoreFile(byte[] content)
    {
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));
        lock (_gate)
        {
            if (!_fileUuidBySha.TryGetValue(sha, out var uuid))
            {
                uuid = Guid.NewGuid().ToString("D");
                _fileUuidBySha[sha] = uuid;
                _filesByUuid[uuid] = content;
            }

            return new FileResponse { Uuid = uuid, Sha256 = sha };
        }
    }

    /// <summary>The content of an uploaded file, or null.</summary>
    public byte[]? GetUploadedContent(string fileUuid)
    {
        lock (_gate)
        {
            return _filesByUuid.GetValueOrDefault(fileUuid);
        }
    }

    /// <summary>Number of distinct uploaded contents.</summary>
    public int UploadedFileCount
    {
        get
        {
            lock (_gate)
            {
                return _filesByUuid.Count;
            }
        }
    }

    private void Enter(string method)
    {
        _calls.AddOrUpdate(method, 1, (_, count) => count + 1);
        if (_nextFailures.TryGetValue(method, out var queue) && queue.TryDequeue(out var next))
        {
            throw next;
        }

        if (_failures.TryGetValue(method, out var always))
        {
            throw always;
        }
    }

    private string NextTimestamp() =>
        DateTimeOffset.FromUnixTimeSeconds(Interlocked.Increment(ref _clock)).ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
