using Contree.Core.Models;

namespace Contree.Engine.Runtime;

/// <summary>Outcome of one sandboxed run.</summary>
internal sealed record SandboxResult
{
    /// <summary>Exit code, signal and <c>TimedOut</c> (then ExitCode is -1).</summary>
    public required ProcessExitState State { get; init; }

    /// <summary>From cgroup counters: user/system CPU seconds, peak memory (KiB in MaxRss), elapsed seconds.</summary>
    public required ConsumedResources Resources { get; init; }

    /// <summary>At most TruncateOutputAt bytes: head and tail in memory, all of it in the spill file when longer.</summary>
    public required CapturedOutput Stdout { get; init; }

    public required CapturedOutput Stderr { get; init; }

    public bool StdoutTruncated => Stdout.Truncated;

    public bool StderrTruncated => Stderr.Truncated;

    /// <summary>The run's upper directory (inside the run directory), still on disk for the caller.</summary>
    public required string UpperDirectory { get; init; }

    /// <summary>True when the upper directory holds any entry (command changes or injected files).</summary>
    public required bool FilesystemChanged { get; init; }
}
