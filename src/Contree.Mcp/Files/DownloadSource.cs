namespace Contree.Mcp.Files;

/// <summary>Where a downloaded file came from: the resolved image UUID and the normalised path inside it.</summary>
internal sealed record DownloadSource(string Image, string Path);
