namespace Contree.Mcp.Sync;

/// <summary>A synced directory: its integer id, container destination and files (what <c>run</c> injects).</summary>
internal sealed record DirectoryState(long Id, string Destination, IReadOnlyList<DirectoryStateFile> Files);
