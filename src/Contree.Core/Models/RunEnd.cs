namespace Contree.Core.Models;

/// <summary>
/// The closed set of causes that end an instance's command, as <c>ended_by</c> carries them, and the one rule that
/// derives the cause when a backend does not report it.
/// </summary>
public static class RunEnd
{
    /// <summary>The command exited by itself (any exit code, 137 included) or was killed by a signal of its own making.</summary>
    public const string Exited = "exited";

    /// <summary>The time limit (<c>timeout</c>) fired before the command exited.</summary>
    public const string TimeLimit = "time_limit";

    /// <summary>The kernel's OOM killer fired inside the sandbox's memory limit and the command failed.</summary>
    public const string MemoryLimit = "memory_limit";

    /// <summary>The sandbox's process limit refused a fork and the command failed.</summary>
    public const string PidsLimit = "pids_limit";

    /// <summary>The operation was cancelled while the command ran.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>What ended a finished instance: the backend's own answer, else what the status and timed_out say.</summary>
    public static string Of(ProcessExitState state, OperationStatus status) =>
        status == OperationStatus.Cancelled ? Cancelled
        : state.EndedBy is { Length: > 0 } reported ? reported
        : state.TimedOut ? TimeLimit
        : Exited;
}
