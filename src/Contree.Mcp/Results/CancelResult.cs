using System.ComponentModel;
using Contree.Core.Models;

namespace Contree.Mcp.Results;

/// <summary>
/// Outcome of cancel_operation: the operation's real state after the cancel and a bounded wait for it to end
/// (docs/tools.md). cancelled is true only when the operation is CANCELLED.
/// </summary>
internal sealed record CancelResult
{
    public required string OperationId { get; init; }

    [Description("True only when the operation is now CANCELLED: it has stopped (on the local engine its sandbox processes are gone).")]
    public required bool Cancelled { get; init; }

    [Description("The real status now: CANCELLED; SUCCESS or FAILED when it had already ended; PENDING, ASSIGNED or EXECUTING when it has not stopped yet.")]
    public required string Status { get; init; }

    [Description("Present when cancelled is false: why, and what to do next.")]
    public string? Message { get; init; }

    /// <param name="after">The state after the cancel and its bounded wait.</param>
    /// <param name="waited">The bound that was waited, for the message.</param>
    /// <param name="getOperationTool">The get_operation tool's name as the client sees it.</param>
    public static CancelResult From(OperationResponse after, TimeSpan waited, string getOperationTool)
    {
        var status = after.Status.ToWire();
        var message = after.Status switch
        {
            OperationStatus.Cancelled => null,
            _ when after.Status.IsTerminal() =>
                $"The operation had already ended with status {status}; nothing was cancelled. Its result is available from {getOperationTool}.",
            _ =>
                $"Cancel was requested, but the operation had not stopped after {waited.TotalSeconds:0.#} s (status {status}). "
                + $"Check again with {getOperationTool}; it becomes CANCELLED once it has stopped.",
        };
        return new CancelResult { OperationId = after.Uuid, Cancelled = after.Status == OperationStatus.Cancelled, Status = status, Message = message };
    }
}
