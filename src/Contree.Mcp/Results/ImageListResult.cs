namespace Contree.Mcp.Results;

/// <summary>Outcome of list_images.</summary>
internal sealed record ImageListResult(IReadOnlyList<ImageView> Images);
