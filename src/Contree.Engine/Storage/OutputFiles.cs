using Contree.Core.Models;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Contree.Engine.Storage;

/// <summary>
/// The whole kept output of runs whose output outgrew the inline view, one file per stream in <c>outputs/</c>
/// (written by the runtime's <c>OutputCapture</c>). Files older than <see cref="EngineOptions.OutputRetentionDays"/>
/// are deleted; the operation keeps its inline view (head and tail) in the database.
/// </summary>
internal sealed partial class OutputFiles
{
    /// <summary>Retention is checked at start and then at most this often, after a run.</summary>
    private static readonly TimeSpan PruneInterval = TimeSpan.FromHours(1);

    private readonly EnginePaths _paths;
    private readonly int _retentionDays;
    private readonly TimeProvider _time;
    private readonly ILogger<OutputFiles> _logger;
    private long _nextPruneTicks;

    public OutputFiles(EnginePaths paths, IOptions<EngineOptions> options, TimeProvider time, ILogger<OutputFiles> logger)
    {
        _paths = paths;
        _retentionDays = options.Value.OutputRetentionDays;
        _time = time;
        _logger = logger;
    }

    public int RetentionDays => _retentionDays;

    public string PathOf(string operationId, OutputStream stream) => _paths.OutputFile(operationId, stream);

    /// <summary>Up to <paramref name="count"/> bytes at <paramref name="offset"/>; null when the file is gone.</summary>
    public async Task<byte[]?> ReadAsync(string operationId, OutputStream stream, long offset, int count, CancellationToken cancellationToken = default)
    {
        try
        {
            using var handle = File.OpenHandle(PathOf(operationId, stream), FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            var buffer = new byte[(int)Math.Clamp(length - offset, 0, count)];
            var done = 0;
            while (done < buffer.Length)
            {
                var read = await RandomAccess.ReadAsync(handle, buffer.AsMemory(done), offset + done, cancellationToken);
                if (read == 0)
                {
                    break;
                }

                done += read;
            }

            return done == buffer.Length ? buffer : buffer[..done];
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Deletes both streams' files of an operation (a run that ended without a result).</summary>
    public void Delete(string operationId)
    {
        foreach (var stream in (OutputStream[])[OutputStream.Stdout, OutputStream.Stderr])
        {
            var path = PathOf(operationId, stream);
            try
            {
                File.Delete(path);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogDeleteFailed(path, e);
            }
        }
    }

    /// <summary>Prunes when the last pruning is more than an hour ago.</summary>
    public void PruneIfDue()
    {
        var now = _time.GetUtcNow().UtcTicks;
        var due = Interlocked.Read(ref _nextPruneTicks);
        if (now >= due && Interlocked.CompareExchange(ref _nextPruneTicks, now + PruneInterval.Ticks, due) == due)
        {
            Prune();
        }
    }

    /// <summary>Deletes output files last written more than the retention ago; returns how many.</summary>
    public int Prune()
    {
        if (_retentionDays <= 0 || !Directory.Exists(_paths.Outputs))
        {
            return 0;
        }

        var cutoff = _time.GetUtcNow().UtcDateTime - TimeSpan.FromDays(_retentionDays);
        var deleted = 0;
        foreach (var file in new DirectoryInfo(_paths.Outputs).EnumerateFiles())
        {
            try
            {
                if (file.LastWriteTimeUtc < cutoff)
                {
                    file.Delete();
                    deleted++;
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                LogDeleteFailed(file.FullName, e);
            }
        }

        if (deleted > 0)
        {
            LogPruned(deleted, _retentionDays);
        }

        return deleted;
    }
}
