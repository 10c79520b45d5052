using Contree.Engine.Runtime;
using Contree.Engine.Runtime.Cgroups;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Runtime;

public sealed class BubblewrapRuntimeIsolationTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_MountTmpfsAsRoot_IsDenied()
    {
        var result = await fixture.RunAsync(fixture.Request("id -u; mount -t tmpfs x /mnt"));

        Assert.Equal("0\n", SandboxFixture.Text(result.Stdout));
        Assert.NotEqual(0, result.State.ExitCode);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_WriteHostSysctl_IsDenied()
    {
        var before = File.ReadAllText("/proc/sys/vm/swappiness");

        var result = await fixture.RunAsync(fixture.Request("echo 3 > /proc/sys/vm/drop_caches || exit 41; echo 17 > /proc/sys/vm/swappiness || exit 42"));

        Assert.Equal(41, result.State.ExitCode);
        Assert.Equal(before, File.ReadAllText("/proc/sys/vm/swappiness"));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_Proc_ShowsOnlySandboxProcesses()
    {
        var result = await fixture.RunAsync(fixture.Request("ls /proc | grep -c '^[0-9]'; cat /proc/1/cmdline | tr '\\0' ' '"));

        var lines = SandboxFixture.Text(result.Stdout).Split('\n');
        Assert.InRange(int.Parse(lines[0], System.Globalization.CultureInfo.InvariantCulture), 1, 6);
        Assert.StartsWith("/bin/sh -c ls /proc", lines[1], StringComparison.Ordinal);
        Assert.True(Directory.EnumerateDirectories("/proc").Count(d => char.IsDigit(Path.GetFileName(d)[0])) > 6);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_StatusDescriptorAndFile_DoNotReachTheCommand()
    {
        // $$ is the command's shell, which opens nothing itself; ls would show its own directory descriptor.
        var request = fixture.Request("for fd in 4 5 6 7 8 9; do [ -e /proc/$$/fd/$fd ] && echo $fd; done; ls /; exit 7");

        var result = await fixture.RunAsync(request);

        var entries = SandboxFixture.Text(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        foreach (var fd in new[] { "4", "5", "6", "7", "8", "9" })
        {
            Assert.DoesNotContain(fd, entries);
        }

        Assert.DoesNotContain("bwrap-status", entries);
        Assert.Equal(7, result.State.ExitCode);
        Assert.False(File.Exists(Path.Combine(request.RunDirectory, "bwrap-status")), "the status file is removed with the run");
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_HostFilesOutsideImage_AreInvisible()
    {
        var secret = Path.Combine(fixture.Root, "host-secret.txt");
        await File.WriteAllTextAsync(secret, "secret", TestContext.Current.CancellationToken);

        var result = await fixture.RunAsync(fixture.Request($"cat {secret} || echo missing; ls /usr/bin/dotnet /etc/os-release 2>&1 | grep -c 'No such'"));

        Assert.Equal("missing\n2\n", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_BlockDeviceNode_CannotBeCreatedOrRead()
    {
        var result = await fixture.RunAsync(fixture.Request("mknod /tmp/vda b 254 0 && head -c 16 /tmp/vda | od -c"));

        Assert.NotEqual(0, result.State.ExitCode);
        Assert.Equal(0, result.Stdout.KeptBytes);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_DefaultNetwork_HasOnlyLoopback()
    {
        var result = await fixture.RunAsync(fixture.Request("ls /sys/class/net 2>/dev/null; ip -o link | cut -d: -f2"));

        Assert.Equal(" lo\n", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_HostNetwork_SeesHostInterfaces()
    {
        var hostInterfaces = Directory.GetFileSystemEntries("/sys/class/net").Length;

        var result = await fixture.RunAsync(fixture.Request("ip -o link | wc -l") with { Network = Contree.Engine.Runtime.Network.SandboxNetwork.Host });

        Assert.Equal(hostInterfaces, int.Parse(SandboxFixture.Text(result.Stdout).Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public void CleanupStale_LeakedMountCgroupAndDirectory_AreRemoved()
    {
        var request = fixture.Request("true");
        var run = request.RunDirectory;
        var mountPoint = fixture.Runtime.MountPointOf(request);
        foreach (var directory in new[] { Path.Combine(run, "upper"), Path.Combine(run, "work"), Path.Combine(run, "legacy-upper"), Path.Combine(run, "legacy-work"), Path.Combine(run, "merged"), mountPoint })
        {
            Directory.CreateDirectory(directory);
        }

        // Where runs mount now, and where engines before the sandbox id range mounted them.
        OverlayMount.Mount([fixture.Lower], Path.Combine(run, "upper"), Path.Combine(run, "work"), mountPoint);
        OverlayMount.Mount([fixture.Lower], Path.Combine(run, "legacy-upper"), Path.Combine(run, "legacy-work"), Path.Combine(run, "merged"));
        var leaked = fixture.Runtime.Cgroups.Create(request.RunId, SandboxLimits.Default);
        Assert.NotNull(leaked);
        Assert.True(fixture.LeftMountPoint(request));
        Assert.True(fixture.HasCgroup(request.RunId));

        fixture.Runtime.CleanupStale(fixture.RunsDirectory);

        Assert.False(fixture.LeftMountPoint(request));
        Assert.False(fixture.HasCgroup(request.RunId));
        Assert.False(Directory.Exists(run));
        Assert.NotEqual(CgroupVersion.None, fixture.Runtime.Cgroups.Version);
    }
}
