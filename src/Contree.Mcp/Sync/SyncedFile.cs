namespace Contree.Mcp.Sync;

/// <summary>A file recorded in a directory state: where it came from, its stat when read, and its uploaded identity.</summary>
internal sealed record SyncedFile(string RelativePath, LocalFileState Stat, string Sha256, string FileUuid);
