using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// Host inodes a sandbox could name: the device nodes in /dev, and whatever its pid 1 is. When uid 0 inside was host uid
/// 0, owning them was enough to chmod or chown the host's /dev/null and /usr/bin/bwrap; now the sandbox's root is an
/// unprivileged host id, for which host root's files are nobody's, and the sandbox is itself pid 1. Like any host user it
/// may still write the world-writable nodes (which sets their times to now), but not change their owner, mode or times.
/// </summary>
public sealed class HostInodeProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private static readonly string[] HostDevices = ["/dev/null", "/dev/zero", "/dev/full", "/dev/random", "/dev/urandom", "/dev/tty"];

    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("chmod 666 {0}")]
    [InlineData("chown 0:0 {0}")]
    [InlineData("chgrp 0 {0}")]
    [InlineData("touch -c -d 2000-01-01 {0}")]
    public async Task DeviceNode_CannotBeChangedOnTheHost(string attack)
    {
        var before = HostChangeTimes();

        var result = await fixture.RunAsync(fixture.Request(
            string.Join("; ", HostDevices.Select(d => string.Format(System.Globalization.CultureInfo.InvariantCulture, attack, d))) + "; true"));

        Assert.Equal(0, result.State.ExitCode);
        Assert.Equal(before, HostChangeTimes());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task DeviceNodes_StillWork()
    {
        var result = await fixture.RunAsync(fixture.Request(
            "echo x > /dev/null && head -c 3 /dev/zero | wc -c && head -c 5 /dev/urandom | wc -c && (echo x > /dev/full) 2>/dev/null || echo full"));

        Assert.Equal("3\n5\nfull\n", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task PidOne_IsTheCommandNotAHostBinary()
    {
        var before = HostChangeTimes();

        var result = await fixture.RunAsync(fixture.Request(
            "readlink /proc/1/exe; chmod 755 /proc/1/exe 2>/dev/null; tr '\\0' ' ' < /proc/1/cmdline; echo"));

        var lines = SandboxFixture.Text(result.Stdout).Split('\n');
        Assert.Equal("/bin/busybox", lines[0]);
        Assert.StartsWith("/bin/sh -c readlink /proc/1/exe", lines[1], StringComparison.Ordinal);
        Assert.DoesNotContain(fixture.Root, SandboxFixture.Text(result.Stdout), StringComparison.Ordinal);
        Assert.Equal(before, HostChangeTimes());
    }

    /// <summary>Status-change times of the host's device nodes and bwrap binary (chmod, chown, chgrp and touch all set them).</summary>
    private static List<string> HostChangeTimes() =>
        HostDevices.Append("/usr/bin/bwrap").Select(static path => path + " " + SandboxFixture.Host("/usr/bin/stat", "-c", "%z %a %u:%g", path).Trim()).ToList();
}
