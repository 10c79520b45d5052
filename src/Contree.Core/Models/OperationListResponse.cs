namespace Contree.Core.Models;

/// <summary>Response of GET /operations (E16). A bare JSON array is accepted as the list too.</summary>
public sealed record OperationListResponse
{
    public IReadOnlyList<OperationSummary> Operations { get; set; } = [];
}
