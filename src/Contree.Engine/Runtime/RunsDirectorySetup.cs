namespace Contree.Engine.Runtime;

/// <summary>What the runtime prepared once for a runs directory and every run below it shares.</summary>
/// <param name="Seccomp">The compiled seccomp program bwrap loads, or null when the filter is off.</param>
/// <param name="Empty">An empty read-only file bound over the /proc files a sandbox must not read (<see cref="ProcMasks"/>).</param>
/// <param name="Devices">True when device nodes made there can be opened (the file system is not mounted nodev and mknod
/// is allowed), so each run gets its own (<see cref="DeviceNode"/>).</param>
internal sealed record RunsDirectorySetup(string? Seccomp, string Empty, bool Devices);
