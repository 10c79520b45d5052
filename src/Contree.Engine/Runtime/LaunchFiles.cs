namespace Contree.Engine.Runtime;

/// <summary>The files one run's launch chain uses.</summary>
/// <param name="Status">Where bwrap writes its JSON status (<c>--json-status-fd</c>); in the run's directory.</param>
/// <param name="LaunchLog">The chain's own stderr until bwrap starts (<see cref="Runtime.LaunchLog"/>); in the run's directory.</param>
/// <param name="Shared">What every run of the runs directory shares: the seccomp program, the mount directory, the empty file.</param>
internal sealed record LaunchFiles(string Status, string LaunchLog, RunsDirectorySetup Shared)
{
    public static LaunchFiles In(string runDirectory, RunsDirectorySetup shared) => new(
        Path.Combine(runDirectory, "bwrap-status"),
        Path.Combine(runDirectory, "launch-log"),
        shared);

    /// <summary>The run's own files, deleted with the run.</summary>
    public IEnumerable<string> All => [Status, LaunchLog];
}
