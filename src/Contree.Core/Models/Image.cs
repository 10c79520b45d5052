namespace Contree.Core.Models;

/// <summary>An immutable filesystem snapshot, optionally carrying one tag.</summary>
public sealed record Image
{
    public required string Uuid { get; init; }

    public string? Tag { get; init; }

    /// <summary>ISO-8601 creation time; empty when the backend did not say.</summary>
    public string CreatedAt { get; set; } = "";
}
