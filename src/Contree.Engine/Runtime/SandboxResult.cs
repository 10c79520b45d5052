using Contree.Core.Models;

namespace Contree.Engine.Runtime;

/// <summary>Outcome of one sandboxed run.</summary>
internal sealed record SandboxResult
{
    /// <summary>Exit code, signal and <c>TimedOut</c> (then ExitCode is -1).</summary>
    public required ProcessExitState State { get; init; }

    /// <summary>From cgroup counters: user/system CPU seconds, peak memory (KiB in MaxRss), elapsed seconds.</summary>
    public required ConsumedResources Resources { get; init; }

    /// <summary>At most TruncateOutputAt bytes.</summary>
    public required byte[] Stdout { get; init; }

    public bool StdoutTruncated { get; init; }

    public required byte[] Stderr { get; init; }

    public bool StderrTruncated { get; init; }

    /// <summary>The run's upper directory (inside the run directory), still on disk for the caller.</summary>
    public required string UpperDirectory { get; init; }

    /// <summary>True when the upper directory holds any entry (command changes or injected files).</summary>
    public required bool FilesystemChanged { get; init; }
}
