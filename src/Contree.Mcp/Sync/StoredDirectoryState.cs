namespace Contree.Mcp.Sync;

/// <summary>A directory state as the synchronizer sees it: id, when its content was last confirmed on the backend, files.</summary>
internal sealed record StoredDirectoryState(long Id, DateTimeOffset? ValidatedAt, IReadOnlyList<SyncedFile> Files);
