namespace Contree.Engine.Runtime;

/// <summary>The files one run's launch chain uses, in the run's directory; all of them are deleted with the run.</summary>
/// <param name="Status">Where bwrap writes its JSON status (<c>--json-status-fd</c>).</param>
/// <param name="LaunchLog">The chain's own stderr until bwrap starts (<see cref="Runtime.LaunchLog"/>).</param>
/// <param name="Seccomp">The compiled seccomp program bwrap loads, or null when the filter is off.</param>
/// <param name="Empty">An empty read-only file bound over the /proc files a sandbox must not read (<see cref="ProcMasks"/>).</param>
/// <param name="Devices">The run's own device nodes, bound over the host's in the sandbox's /dev; none when the run
/// directory's file system does not allow devices (then the host's stay).</param>
internal sealed record LaunchFiles(string Status, string LaunchLog, string? Seccomp, string Empty, IReadOnlyList<DeviceNode> Devices)
{
    public static LaunchFiles In(string runDirectory, bool seccomp, bool devices) => new(
        Path.Combine(runDirectory, "bwrap-status"),
        Path.Combine(runDirectory, "launch-log"),
        seccomp ? Path.Combine(runDirectory, "seccomp.bpf") : null,
        Path.Combine(runDirectory, "empty"),
        devices ? DeviceNode.In(runDirectory) : []);

    public IEnumerable<string> All =>
        new[] { Status, LaunchLog, Seccomp, Empty }.OfType<string>().Concat(Devices.Select(static d => d.Path));
}
