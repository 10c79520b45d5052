using System.ComponentModel;

namespace Contree.Mcp.Results;

/// <summary>Outcome of wait_operations.</summary>
internal sealed record WaitOperationsResult
{
    [Description("Operation id → flat operation shape, for every operation that reached a terminal state or that this call cancelled (with its real state after the cancel); an id that could not be read has only error set.")]
    public required IReadOnlyDictionary<string, OperationView> Results { get; init; }

    [Description("Ids in the order they completed.")]
    public required IReadOnlyList<string> Completed { get; init; }

    [Description("Ids this call cancelled because mode=any and another operation finished first; they are now CANCELLED (stopped).")]
    public required IReadOnlyList<string> Cancelled { get; init; }

    [Description("Ids this call asked to cancel (mode=any) that had not stopped within the cancel's wait of a few seconds; check them again with get_operation.")]
    public required IReadOnlyList<string> Stopping { get; init; }

    [Description("Ids still running when the timeout hit. They are NOT cancelled and keep running on the backend.")]
    public required IReadOnlyList<string> TimedOut { get; init; }
}
