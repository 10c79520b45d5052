namespace Contree.Core.Models;

/// <summary>Response of GET /images (E1).</summary>
public sealed record ImageListResponse
{
    public IReadOnlyList<Image> Images { get; set; } = [];
}
