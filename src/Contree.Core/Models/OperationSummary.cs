namespace Contree.Core.Models;

/// <summary>One entry of GET /operations (E16).</summary>
public sealed record OperationSummary
{
    public required string Uuid { get; init; }

    public required OperationKind Kind { get; init; }

    public required OperationStatus Status { get; init; }

    public string? Error { get; init; }

    public string CreatedAt { get; set; } = "";
}
