namespace Contree.Mcp.Sync;

/// <summary>
/// Result of <c>rsync</c>: the integer id for <c>run</c>, the destination, how many files the state holds, and how each
/// was obtained: uploaded (new content), reused (the backend already had the content), unchanged (local stat cache),
/// removed (gone from the directory since the last sync).
/// </summary>
internal sealed record SyncResult(long DirectoryStateId, string Destination, int Files, int Uploaded, int Reused, int Unchanged, int Removed);
