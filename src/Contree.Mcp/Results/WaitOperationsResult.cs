using System.ComponentModel;

namespace Contree.Mcp.Results;

/// <summary>Outcome of wait_operations.</summary>
internal sealed record WaitOperationsResult
{
    [Description("Operation id → flat operation shape, for every operation that reached a terminal state (or could not be read: then only error is set).")]
    public required IReadOnlyDictionary<string, OperationView> Results { get; init; }

    [Description("Ids in the order they completed.")]
    public required IReadOnlyList<string> Completed { get; init; }

    [Description("Ids this call cancelled on the backend because mode=any and another operation finished first.")]
    public required IReadOnlyList<string> Cancelled { get; init; }

    [Description("Ids still running when the timeout hit. They are NOT cancelled and keep running on the backend.")]
    public required IReadOnlyList<string> TimedOut { get; init; }
}
