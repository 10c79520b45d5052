namespace Contree.Core.Models;

/// <summary>An uploaded, content-addressed file (E11, E12).</summary>
public sealed record FileResponse
{
    public required string Uuid { get; init; }

    /// <summary>Lower-case hex sha256 of the content.</summary>
    public required string Sha256 { get; init; }
}
