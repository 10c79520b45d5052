namespace Contree.Mcp.Results;

/// <summary>Outcome of list_files.</summary>
internal sealed record FileListResult(string Path, int Count, IReadOnlyList<FileEntry> Files);
