using System.Globalization;
using Contree.Core.Models;

namespace Contree.Mcp.Rendering;

/// <summary>The one-line advice a result carries when something other than the command itself ended it.</summary>
internal static class RunEndHint
{
    /// <summary>The hint for <paramref name="endedBy"/> (a <see cref="RunEnd"/> value), or null when there is nothing to advise.</summary>
    public static string? For(string endedBy, int timeoutSeconds) => endedBy switch
    {
        RunEnd.TimeLimit => string.Create(
            CultureInfo.InvariantCulture,
            $"Killed at its time limit of {timeoutSeconds} s: pass a larger timeout, or run with wait=false and collect the result later."),
        RunEnd.MemoryLimit =>
            "Killed by the kernel's OOM killer at the sandbox memory limit: use less memory (fewer parallel jobs, smaller inputs), or raise the limit (local engine: --engine-memory-limit).",
        RunEnd.PidsLimit =>
            "A fork failed at the sandbox process limit: start fewer processes or threads, or raise the limit (local engine: --engine-pids-limit).",
        RunEnd.Cancelled => "Cancelled before the command finished; nothing it changed was kept.",
        _ => null,
    };
}
