using System.Diagnostics;
using Contree.Engine.Runtime;
using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// No cgroup hierarchy of the host is reachable from a sandbox, and whatever a run leaves below its cgroup (a child
/// cgroup holding a process) is killed and removed with it, or by the stale cleanup after a crash.
/// </summary>
public sealed class CgroupProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Sandbox_SeesNoCgroupFilesystem()
    {
        var result = await fixture.RunAsync(fixture.Request(
            "ls -A /sys 2>/dev/null | wc -l; grep -c cgroup /proc/self/mountinfo; " +
            "mkdir -p /tmp/cg && mount -t cgroup -o memory none /tmp/cg 2>/dev/null && echo mounted-v1; " +
            "mount -t cgroup2 none /tmp/cg 2>/dev/null && echo mounted-v2; echo done"));

        Assert.Equal("0\n0\ndone\n", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public void Dispose_ChildCgroupWithProcess_IsKilledAndRemoved()
    {
        var cgroup = fixture.Runtime.Cgroups.Create("child-" + Guid.NewGuid().ToString("N"), SandboxLimits.Default)!;
        var (process, children) = StartInChildCgroups(cgroup.ProcsFiles);

        cgroup.Dispose();

        Assert.True(process.WaitForExit(10_000), "the process in the child cgroup must be killed");
        Assert.All(cgroup.ProcsFiles, procs => Assert.False(Directory.Exists(Path.GetDirectoryName(procs))));
        Assert.All(children, child => Assert.False(Directory.Exists(child)));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public void CleanupStale_CgroupWithoutRunDirectory_IsKilledAndRemoved()
    {
        var leaked = fixture.Runtime.Cgroups.Create("orphan-" + Guid.NewGuid().ToString("N"), SandboxLimits.Default)!;
        var (process, children) = StartInChildCgroups(leaked.ProcsFiles);

        fixture.Runtime.CleanupStale(fixture.RunsDirectory);

        Assert.True(process.WaitForExit(10_000), "the process in the leftover cgroup must be killed");
        Assert.All(leaked.ProcsFiles, procs => Assert.False(Directory.Exists(Path.GetDirectoryName(procs))));
        Assert.All(children, child => Assert.False(Directory.Exists(child)));
    }

    /// <summary>A process moved into a child cgroup of the run's cgroup in every hierarchy, as a run could try.</summary>
    private static (Process Process, List<string> Children) StartInChildCgroups(IReadOnlyList<string> procsFiles)
    {
        var process = Process.Start(new ProcessStartInfo("/bin/sleep", "120") { UseShellExecute = false })!;
        var children = new List<string>();
        foreach (var procs in procsFiles)
        {
            var child = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(procs)!, "escaped", "deeper")).FullName;
            File.WriteAllText(Path.Combine(child, "cgroup.procs"), process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture));
            children.Add(child);
        }

        return (process, children);
    }
}
