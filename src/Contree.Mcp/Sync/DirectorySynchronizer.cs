using System.Collections.Concurrent;
using System.Security.Cryptography;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Mcp.Files;
using Microsoft.Extensions.Logging;

namespace Contree.Mcp.Sync;

/// <summary>
/// The three-tier directory sync behind <c>rsync</c> (docs/rsync.md): (1) the local stat cache skips files whose size,
/// mtime and mode did not change; (2) server dedup asks the backend for the content hash (E12) before uploading;
/// (3) only unknown content is uploaded (E11), streamed from the file. A state is identified by a UUIDv5 of the
/// directory, destination and exclude set; re-syncing it returns the same integer id.
/// </summary>
internal sealed partial class DirectorySynchronizer(
    IContreeBackend backend,
    FileSyncCache cache,
    TimeProvider time,
    ILogger<DirectorySynchronizer> logger)
{
    /// <summary>Uploads (and hash look-ups) in flight at once.</summary>
    public const int MaxConcurrentUploads = 10;

    /// <summary>After this long, a state's content is re-checked on the backend before it is trusted.</summary>
    public static readonly TimeSpan RevalidationInterval = TimeSpan.FromHours(24);

    private readonly ConcurrentDictionary<string, SemaphoreSlim> _stateLocks = new(StringComparer.Ordinal);

    /// <summary>Syncs <paramref name="source"/> (an existing absolute directory) to <paramref name="destination"/>.</summary>
    public async Task<SyncResult> SyncAsync(string source, string destination, IReadOnlyList<string>? exclude, CancellationToken cancellationToken = default)
    {
        var root = ResolveRoot(source);
        var target = ContainerPaths.NormalizeAbsolute(destination, "destination");
        var patterns = (exclude ?? []).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var matcher = ExcludeMatcher.Create(patterns);
        var stateUuid = StateUuid(root, target, patterns);

        var stateLock = _stateLocks.GetOrAdd(stateUuid, _ => new SemaphoreSlim(1, 1));
        await stateLock.WaitAsync(cancellationToken);
        try
        {
            var local = Scan(root, matcher);
            return await SyncStateAsync(root, target, stateUuid, local, cancellationToken);
        }
        finally
        {
            stateLock.Release();
        }
    }

    /// <summary>
    /// The state's identity: UUIDv5(NAMESPACE_URL, "file://&lt;root&gt;?dest=&lt;destination&gt;&amp;&lt;sorted unique excludes joined by &amp;&gt;").
    /// </summary>
    internal static string StateUuid(string root, string destination, IReadOnlyList<string> sortedExcludes) =>
        UuidV5.Create(UuidV5.UrlNamespace, $"file://{root}?dest={destination}&{string.Join('&', sortedExcludes)}").ToString("D");

    private async Task<SyncResult> SyncStateAsync(string root, string destination, string stateUuid, IReadOnlyList<LocalEntry> local, CancellationToken cancellationToken)
    {
        var existing = cache.FindState(stateUuid);
        var now = time.GetUtcNow();
        var revalidate = existing is not null && (existing.ValidatedAt is not { } at || now - at >= RevalidationInterval);
        var previous = existing?.Files.ToDictionary(f => f.RelativePath, StringComparer.Ordinal) ?? [];

        var synced = new SyncedFile[local.Count];
        var outcomes = new Outcome[local.Count];
        var byContent = new ConcurrentDictionary<string, Lazy<Task<(FileResponse Response, bool Uploaded)>>>(StringComparer.Ordinal);
        var options = new ParallelOptions { MaxDegreeOfParallelism = MaxConcurrentUploads, CancellationToken = cancellationToken };
        await Parallel.ForEachAsync(Enumerable.Range(0, local.Count), options, async (i, ct) =>
        {
            var entry = local[i];
            if (previous.TryGetValue(entry.RelativePath, out var known) && known.Stat == entry.Stat)
            {
                // Tier 1. After 24 h the backend may have dropped the file: confirm the UUID that run will reference
                // (E14; E13 would confirm the content but not this UUID), otherwise store the content again below.
                if (!revalidate || await backend.FileExistsByUuidAsync(known.FileUuid, ct))
                {
                    synced[i] = known;
                    outcomes[i] = Outcome.Unchanged;
                    return;
                }
            }

            (synced[i], outcomes[i]) = await StoreAsync(entry, byContent, ct);
        });

        // Hashes of stored files are remembered in one transaction for the whole sync (tier 1 of the next one).
        cache.RecordFiles([.. Enumerable.Range(0, local.Count)
            .Where(i => outcomes[i] != Outcome.Unchanged)
            .Select(i => (local[i].AbsolutePath, local[i].Stat, synced[i].Sha256, synced[i].FileUuid))]);

        var localPaths = local.Select(e => e.RelativePath).ToHashSet(StringComparer.Ordinal);
        var removed = previous.Keys.Count(p => !localPaths.Contains(p));
        var uploaded = outcomes.Count(o => o == Outcome.Uploaded);
        var reused = outcomes.Count(o => o == Outcome.Reused);
        var unchanged = outcomes.Count(o => o == Outcome.Unchanged);

        long id;
        if (existing is not null && uploaded == 0 && reused == 0 && removed == 0)
        {
            id = existing.Id;
            if (revalidate)
            {
                cache.MarkValidated(id);
            }
        }
        else
        {
            // A new state has just been confirmed entirely; an updated one only when it was revalidated now.
            id = cache.SaveState(stateUuid, destination, synced, existing is null || revalidate ? now : null);
        }

        Log.Synced(logger, root, destination, id, local.Count, uploaded, reused, unchanged, removed);
        return new SyncResult(id, destination, local.Count, uploaded, reused, unchanged, removed);
    }

    /// <summary>
    /// Tiers 2 and 3 for a new or changed file: known or computed hash → backend dedup → upload. Files of this sync
    /// with the same content share one look-up and at most one upload (<paramref name="byContent"/>).
    /// </summary>
    private async Task<(SyncedFile File, Outcome Outcome)> StoreAsync(
        LocalEntry entry,
        ConcurrentDictionary<string, Lazy<Task<(FileResponse Response, bool Uploaded)>>> byContent,
        CancellationToken cancellationToken)
    {
        var sha256 = cache.GetKnownHash(entry.AbsolutePath, entry.Stat) ?? await HashAsync(entry, cancellationToken);
        var mine = new Lazy<Task<(FileResponse, bool)>>(() => LookUpOrUploadAsync(entry, sha256, cancellationToken));
        var shared = byContent.GetOrAdd(sha256, mine);
        var (response, uploaded) = await shared.Value;
        var outcome = uploaded && ReferenceEquals(shared, mine) ? Outcome.Uploaded : Outcome.Reused;
        return (new SyncedFile(entry.RelativePath, entry.Stat, response.Sha256, response.Uuid), outcome);
    }

    private async Task<(FileResponse Response, bool Uploaded)> LookUpOrUploadAsync(LocalEntry entry, string sha256, CancellationToken cancellationToken)
    {
        var existing = await backend.GetFileByHashAsync(sha256, cancellationToken);
        if (existing is not null)
        {
            return (existing, false);
        }

        await using var stream = OpenContent(entry);
        return (await backend.UploadFileAsync(stream, cancellationToken), true);
    }

    private static async Task<string> HashAsync(LocalEntry entry, CancellationToken cancellationToken)
    {
        await using var stream = OpenContent(entry);
        return Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
    }

    /// <summary>
    /// Opens the file for streaming. Zero-length entries are never opened: that is their content, and it keeps a FIFO
    /// or device node (which report size 0) from blocking the sync.
    /// </summary>
    private static Stream OpenContent(LocalEntry entry)
    {
        if (entry.Stat.Size == 0)
        {
            return new MemoryStream([], writable: false);
        }

        try
        {
            return new FileStream(entry.AbsolutePath, new FileStreamOptions
            {
                Mode = FileMode.Open,
                Access = FileAccess.Read,
                Share = FileShare.ReadWrite | FileShare.Delete,
                Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
                BufferSize = 0,
            });
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ContreeException.Conflict($"'{entry.AbsolutePath}' disappeared during the sync; run rsync again");
        }
        catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
        {
            throw ContreeException.InvalidArgument($"cannot read '{entry.AbsolutePath}': {ErrorCause.Describe(ex)}", ex);
        }
    }

    private enum Outcome
    {
        Unchanged,
        Reused,
        Uploaded,
    }
}
