namespace Contree.Mcp.Results;

/// <summary>Outcome of list_operations, newest first.</summary>
internal sealed record OperationListResult(IReadOnlyList<OperationSummaryView> Operations);
