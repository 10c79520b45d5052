namespace Contree.Core.Models;

/// <summary>Filters of GET /operations (E16). Null members are not sent.</summary>
public sealed record OperationListQuery
{
    public int Limit { get; set; } = 100;

    public int Offset { get; init; }

    public OperationStatus? Status { get; init; }

    public OperationKind? Kind { get; init; }

    public string? Since { get; init; }

    public string? Until { get; init; }
}
