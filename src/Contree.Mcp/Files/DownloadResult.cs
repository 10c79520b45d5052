namespace Contree.Mcp.Files;

/// <summary>Result of <c>download</c>.</summary>
internal sealed record DownloadResult(bool Success, DownloadSource Source, string Destination, long Size, bool Executable);
