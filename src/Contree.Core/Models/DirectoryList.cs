namespace Contree.Core.Models;

/// <summary>Response of GET /inspect/{uuid}/list (E7).</summary>
public sealed record DirectoryList
{
    /// <summary>The listed directory, absolute.</summary>
    public required string Path { get; init; }

    public IReadOnlyList<FileItem> Files { get; set; } = [];
}
