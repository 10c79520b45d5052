namespace Contree.Mcp.Results;

/// <summary>One entry of list_operations.</summary>
internal sealed record OperationSummaryView(string OperationId, string Kind, string Status, string? Error, string CreatedAt);
