namespace Contree.Engine.Runtime;

/// <summary>What the runtime prepared once for a runs directory and every run below it shares.</summary>
/// <param name="Seccomp">The compiled seccomp program bwrap loads, or null when the filter is off.</param>
/// <param name="MountDirectory">Where the runs' overlays are mounted, one directory per run named after it, below
/// <see cref="RuntimeOptions.MountRoot"/>: reachable by the sandbox's root, unlike the data directory.</param>
/// <param name="Empty">An empty read-only file bound over the /proc files a sandbox must not read (<see cref="ProcMasks"/>);
/// in <paramref name="MountDirectory"/>, as bwrap reads it as the sandbox's root.</param>
internal sealed record RunsDirectorySetup(string? Seccomp, string MountDirectory, string Empty);
