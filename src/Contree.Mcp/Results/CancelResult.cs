namespace Contree.Mcp.Results;

/// <summary>Outcome of cancel_operation: cancelled is true when the operation is (now) CANCELLED.</summary>
internal sealed record CancelResult(string OperationId, bool Cancelled, string Status);
