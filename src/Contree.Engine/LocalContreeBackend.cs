using Contree.Core;
using Contree.Core.Errors;
using Contree.Engine.Inspect;
using Contree.Engine.Operations;
using Contree.Engine.Registry;
using Contree.Engine.Runtime;
using Contree.Engine.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Contree.Engine;

/// <summary>
/// The Contree API served in-process: images and layers from the local store, inspection straight from layer
/// directories, instances in bubblewrap sandboxes and imports from OCI registries, both run as operations on
/// the <see cref="OperationQueue"/>. The only type that sees every part of the engine (docs/engine.md).
/// </summary>
internal sealed partial class LocalContreeBackend : IContreeBackend, IOperationCompletion
{
    /// <summary>Longest instance or import timeout accepted: 24 h.</summary>
    public const int MaxTimeoutSeconds = 24 * 60 * 60;

    /// <summary>Largest truncate_output_at accepted: 64 MiB per stream.</summary>
    public const long MaxOutputBytes = 64L * 1024 * 1024;

    /// <summary>PATH given to sandboxes whose image config sets none.</summary>
    public const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private readonly EnginePaths _paths;
    private readonly EngineLock _lock;
    private readonly BlobStore _blobs;
    private readonly LayerStore _layers;
    private readonly ImageStore _images;
    private readonly FileStore _files;
    private readonly OperationStore _operations;
    private readonly OperationQueue _queue;
    private readonly ISandboxRuntime _runtime;
    private readonly IImageImporter _importer;
    private readonly LayerDirectoryCache _listings;
    private readonly EngineOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<LocalContreeBackend> _logger;
    private readonly OutputFiles _outputs;

    public LocalContreeBackend(
        EnginePaths paths,
        EngineLock engineLock,
        BlobStore blobs,
        LayerStore layers,
        ImageStore images,
        FileStore files,
        OperationStore operations,
        OperationQueue queue,
        ISandboxRuntime runtime,
        IImageImporter importer,
        LayerDirectoryCache listings,
        IOptions<EngineOptions> options,
        TimeProvider time,
        ILogger<LocalContreeBackend> logger,
        OutputFiles outputs)
    {
        _paths = paths;
        _lock = engineLock;
        _blobs = blobs;
        _layers = layers;
        _images = images;
        _files = files;
        _operations = operations;
        _queue = queue;
        _runtime = runtime;
        _importer = importer;
        _listings = listings;
        _options = options.Value;
        _time = time;
        _logger = logger;
        _outputs = outputs;
    }

    /// <summary>
    /// Start-up recovery: operations a previous process left PENDING or EXECUTING become FAILED "engine
    /// restarted"; stale sandbox mounts, cgroups and run directories are removed, and so are half-written blobs
    /// (ingest/) and half-built layers (staging/). Skipped entirely while another engine process shares the data
    /// directory (<see cref="EngineLock"/>); directories are only swept while no operation of this process is live.
    /// </summary>
    public void Recover()
    {
        CheckSandboxIds();
        if (!_lock.TryRunExclusive(RecoverExclusively))
        {
            LogRecoverySkippedShared(_paths.Root);
        }
    }

    /// <summary>
    /// Says at start, not only at the first run, when a host user or group owns part of the sandbox id range: every
    /// run is refused then (with the same message), while images and files stay readable.
    /// </summary>
    private void CheckSandboxIds()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            LogRunsRefusedNotRoot(Diagnostics.EngineDiagnostics.NotRootMessage);
            return;
        }

        try
        {
            SandboxIds.CheckHost();
        }
        catch (ContreeException exception)
        {
            LogSandboxIdsUnavailable(exception.Message);
        }
    }

    private void RecoverExclusively()
    {
        var now = Timestamps.Format(_time.GetUtcNow());
        var recovered = 0;
        foreach (var id in _operations.ListNonTerminalIds())
        {
            if (!_queue.IsLive(id) && _operations.Finish(id, Core.Models.OperationStatus.Failed, "engine restarted", null, null, now, 0))
            {
                recovered++;
                _outputs.Delete(id);
            }
        }

        if (_queue.LiveCount > 0)
        {
            LogRecoverySkippedSweep(_queue.LiveCount);
        }
        else
        {
            _runtime.CleanupStale(_paths.Runs);
            Directory.CreateDirectory(_paths.Runs);
            // Only root can give files away; a store that is not root's has nothing a sandbox could run anyway.
            if (Environment.IsPrivilegedProcess && StoreIdMigration.IsNeeded(_paths))
            {
                var hasLayers = Directory.Exists(_paths.Layers) && Directory.EnumerateFileSystemEntries(_paths.Layers).Any();
                if (hasLayers)
                {
                    LogIdMigrationStarted(_paths.Layers);
                }

                var watch = System.Diagnostics.Stopwatch.StartNew();
                var entries = StoreIdMigration.Run(_paths);
                if (hasLayers)
                {
                    LogIdMigrationDone(entries, watch.Elapsed.TotalSeconds);
                }
            }

            SweepDirectory(_paths.Ingest);
            SweepDirectory(_paths.Staging);
            if (_layers.DeleteUnrecorded() is > 0 and var orphans)
            {
                LogOrphanLayersDeleted(orphans);
            }
        }

        _outputs.Prune();

        LogRecovered(recovered);
    }

    /// <summary>Cancels live operations (their sandboxes are killed) and waits for the workers.</summary>
    public Task StopAsync(CancellationToken cancellationToken = default) => _queue.StopAsync(cancellationToken);

    public async Task WaitForTerminalAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        var id = NormalizeId(operationId);
        if (_queue.TryGetCompletion(id, out var completion))
        {
            await completion.WaitAsync(cancellationToken);
            return;
        }

        if (_operations.Get(id) is null)
        {
            throw OperationNotFound(operationId);
        }

        // Not live: terminal, or left non-terminal by a previous process until recovery marks it FAILED.
        while (_operations.Get(id) is { } record && !Core.Models.OperationEnums.IsTerminal(record.Status) && !_queue.IsLive(id))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), _time, cancellationToken);
        }

        if (_queue.TryGetCompletion(id, out completion))
        {
            await completion.WaitAsync(cancellationToken);
        }
    }

    private static ContreeException OperationNotFound(string operationId) => ContreeException.NotFound($"operation {operationId} not found");

    private ImageRecord GetImageRecord(string imageUuid)
    {
        ArgumentNullException.ThrowIfNull(imageUuid);
        return _images.Get(NormalizeId(imageUuid)) ?? throw ImageStore.ImageNotFound(imageUuid);
    }

    /// <summary>UUIDs are stored lower case with hyphens; accept any spelling Guid accepts.</summary>
    private static string NormalizeId(string id) => Guid.TryParse(id, out var guid) ? guid.ToString("D") : id;

    /// <summary>Layer directories of an image, topmost first, without repeats (overlayfs rejects a repeated lower).</summary>
    private List<string> LayerDirectories(ImageRecord image) => [.. image.Layers.Distinct(StringComparer.Ordinal).Select(_layers.GetDirectory)];

    private ImageInspector Inspector(string imageUuid) => new(imageUuid, LayerDirectories(GetImageRecord(imageUuid)), _listings);

    private void SweepDirectory(string directory)
    {
        if (!Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory);
            return;
        }

        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            try
            {
                if (entry is DirectoryInfo dir && dir.LinkTarget is null)
                {
                    dir.Delete(recursive: true);
                }
                else
                {
                    entry.Delete();
                }
            }
            catch (IOException e)
            {
                LogSweepFailed(entry.FullName, e);
            }
            catch (UnauthorizedAccessException e)
            {
                LogSweepFailed(entry.FullName, e);
            }
        }
    }
}
