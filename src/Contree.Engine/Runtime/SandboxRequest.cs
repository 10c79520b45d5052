namespace Contree.Engine.Runtime;

/// <summary>Everything one sandboxed run needs; built by the engine from an instance request.</summary>
internal sealed record SandboxRequest
{
    /// <summary>Unique id of the run (the operation id); names its cgroup.</summary>
    public required string RunId { get; init; }

    /// <summary>Empty directory on the layer filesystem; the runtime creates upper/work/merged in it.</summary>
    public required string RunDirectory { get; init; }

    /// <summary>Committed layer directories, topmost first, de-duplicated, at most 500.</summary>
    public required IReadOnlyList<string> LowerDirectories { get; init; }

    public required string Command { get; init; }

    /// <summary>Arguments appended to <see cref="Command"/> when <see cref="Shell"/> is false.</summary>
    public IReadOnlyList<string> Args { get; init; } = [];

    /// <summary>True: run <c>/bin/sh -c Command</c>; false: execute Command with Args directly.</summary>
    public bool Shell { get; init; }

    /// <summary>The complete environment (the runtime adds nothing but a default PATH when absent).</summary>
    public IReadOnlyDictionary<string, string> Env { get; init; } = new Dictionary<string, string>();

    public string Cwd { get; init; } = "/root";

    public string Hostname { get; init; } = "linuxkit";

    public ReadOnlyMemory<byte> Stdin { get; init; }

    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Bytes of stdout and of stderr kept each; later output is read and dropped.</summary>
    public long TruncateOutputAt { get; init; } = 65536;

    /// <summary>
    /// Where stdout is written in full when it outgrows the head and tail kept in memory (<see cref="OutputCapture"/>);
    /// null: the middle of a long output is dropped. Outside the run directory, which is removed after the run.
    /// </summary>
    public string? StdoutSpillPath { get; init; }

    /// <summary>Like <see cref="StdoutSpillPath"/>, for stderr.</summary>
    public string? StderrSpillPath { get; init; }

    /// <summary>Files written into the sandbox before the command starts.</summary>
    public IReadOnlyList<InjectedFile> Files { get; init; } = [];

    public SandboxLimits Limits { get; init; } = SandboxLimits.Default;

    /// <summary>Loopback only (default), the internet through slirp4netns, or the host's network.</summary>
    public Network.SandboxNetwork Network { get; init; }

    /// <summary>
    /// With <see cref="Network.SandboxNetwork.Internet"/>: the canonical host patterns
    /// (<see cref="Core.Networking.HostPatterns"/>) that alone are reachable; null: every public host.
    /// </summary>
    public IReadOnlyList<string>? AllowedHosts { get; init; }

    /// <summary>
    /// True when the caller discards the upper directory after the run (disposable instances): the overlay is mounted
    /// <c>volatile</c>, which skips syncing the upper file system at unmount (several ms per run). Leave false when
    /// the upper becomes a layer, so its data is on disk before the commit.
    /// </summary>
    public bool DiscardUpper { get; init; }

    /// <summary>
    /// Bytes the run may write (its upper and work directories); zero or negative: no limit of its own, the upper
    /// lives on the data directory's file system. With a limit they live on a <see cref="ScratchDisk"/>.
    /// </summary>
    public long DiskLimitBytes { get; init; }
}
