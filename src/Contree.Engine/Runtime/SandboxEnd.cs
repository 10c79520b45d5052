using Contree.Core.Models;
using Contree.Engine.Interop;
using Contree.Engine.Runtime.Cgroups;

namespace Contree.Engine.Runtime;

/// <summary>Decides how a finished sandbox run ended from what the runtime saw, bwrap reported and the cgroup counted.</summary>
internal static class SandboxEnd
{
    /// <summary>What shells answer for a command that cannot be executed; bwrap itself says 1.</summary>
    private const int CommandNotFoundExitCode = 127;

    /// <summary>128 + SIGKILL, as bwrap and shells report a process killed by SIGKILL.</summary>
    private const int KilledExitCode = 128 + Libc.SIGKILL;

    /// <param name="bwrap">What bwrap reported: whether the sandbox started and the command's exit code.</param>
    /// <param name="processExit">The exit code of the launch chain's top process.</param>
    /// <param name="timeLimitFired">True when the runtime killed the sandbox because its time limit passed.</param>
    /// <param name="usage">The cgroup's counters, when the host has the controllers.</param>
    /// <param name="execFailed">True when bwrap could not execute the command at all.</param>
    /// <param name="pid">The launch chain's process id.</param>
    public static ProcessExitState Decide(BwrapReport bwrap, int processExit, bool timeLimitFired, CgroupUsage? usage, bool execFailed, int pid)
    {
        // A command that exited by itself before the kill landed keeps its own exit code: the limit did not end it.
        var commandExit = bwrap.ExitCode;
        if (timeLimitFired && commandExit is null or KilledExitCode)
        {
            return new ProcessExitState { ExitCode = -1, Signal = Libc.SIGKILL, TimedOut = true, Pid = pid, EndedBy = RunEnd.TimeLimit };
        }

        // A started sandbox whose bwrap never reported an exit was killed from outside, bwrap included (the OOM killer
        // picks any process of the cgroup once the command's memory is gone); the top process's own code would only
        // describe how unshare took its child's death.
        var exitCode = execFailed ? CommandNotFoundExitCode
            : commandExit ?? (bwrap.Started ? KilledExitCode : processExit);
        var endedBy = exitCode == 0 ? RunEnd.Exited
            : usage is { OomKilled: true } ? RunEnd.MemoryLimit
            : usage is { PidsLimitHit: true } ? RunEnd.PidsLimit
            : RunEnd.Exited;
        return new ProcessExitState
        {
            ExitCode = exitCode,

            // bwrap reports a command killed by signal N as 128+N, like a shell.
            Signal = exitCode is > 128 and < 160 ? exitCode - 128 : -1,
            Pid = pid,
            EndedBy = endedBy,
        };
    }
}
