using System.Text;
using Contree.Core.Errors;
using Contree.Engine.Interop;
using Contree.Engine.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Runtime;

public sealed class BubblewrapRuntimeFilesystemTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_ReadOnlyCommand_FilesystemUnchanged()
    {
        var result = await fixture.RunAsync(fixture.Request("cat /etc/passwd > /dev/null; ls /bin > /dev/null"));

        Assert.Equal(0, result.State.ExitCode);
        Assert.False(result.FilesystemChanged);
        Assert.Empty(Directory.EnumerateFileSystemEntries(result.UpperDirectory));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_DiscardUpper_VolatileOverlayStillCapturesWrites()
    {
        var request = fixture.Request("echo v > /tmp/v; cat /tmp/v") with { DiscardUpper = true };

        var result = await fixture.RunAsync(request);

        Assert.Equal("v\n", SandboxFixture.Text(result.Stdout));
        Assert.Equal("v\n", File.ReadAllText(Path.Combine(result.UpperDirectory, "tmp", "v")));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_WriteAndDelete_UpperHoldsFileAndWhiteout()
    {
        var result = await fixture.RunAsync(fixture.Request("echo data > /root/new.txt && rm /etc/hostname"));

        Assert.True(result.FilesystemChanged);
        Assert.Equal("data\n", File.ReadAllText(Path.Combine(result.UpperDirectory, "root", "new.txt")));
        var whiteout = SandboxFixture.Host("/usr/bin/stat", "-c", "%F %t %T", Path.Combine(result.UpperDirectory, "etc", "hostname"));
        Assert.Equal("character special file 0 0\n", whiteout);
        Assert.True(File.Exists(Path.Combine(fixture.Lower, "etc", "hostname")));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_RecreatedDirectory_IsOpaqueWithUserXattr()
    {
        var result = await fixture.RunAsync(fixture.Request("rm -rf /etc && mkdir /etc && echo x > /etc/only"));

        Assert.Equal(0, result.State.ExitCode);
        var etc = Path.Combine(result.UpperDirectory, "etc");
        Span<byte> value = stackalloc byte[8];
        var length = Libc.Lgetxattr(etc, "user.overlay.opaque", value, (nuint)value.Length);
        Assert.Equal(1, (int)length);
        Assert.Equal((byte)'y', value[0]);
        Assert.Equal(["only"], Directory.GetFileSystemEntries(etc).Select(Path.GetFileName));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_InjectedFiles_HaveModeOwnerAndParents()
    {
        var source = Path.Combine(fixture.Root, "blob-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(source, "injected\n", TestContext.Current.CancellationToken);
        var request = fixture.Request("stat -c '%a %u %g' /etc/x /opt/a/b/y /opt/a /opt/a/b; cat /opt/a/b/y") with
        {
            Files =
            [
                new InjectedFile("/etc/x", source, Convert.ToInt32("640", 8), 1000, 1001),
                new InjectedFile("/opt/a/b/y", source, Convert.ToInt32("4755", 8), 0, 0),
            ],
        };

        var result = await fixture.RunAsync(request);

        Assert.Equal("640 1000 1001\n4755 0 0\n755 0 0\n755 0 0\ninjected\n", SandboxFixture.Text(result.Stdout));
        var lowerEtc = File.GetUnixFileMode(Path.Combine(fixture.Lower, "etc"));
        Assert.Equal(lowerEtc, File.GetUnixFileMode(Path.Combine(result.UpperDirectory, "etc")));
        Assert.True(result.FilesystemChanged);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_InjectThroughEscapingSymlink_StaysInsideRoot()
    {
        var top = Path.Combine(fixture.Root, "layers", "escape-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(top);
        var outside = Path.Combine(fixture.Root, "outside-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(outside);
        File.CreateSymbolicLink(Path.Combine(top, "up"), "../../../../../../../../../../.." + outside);
        File.CreateSymbolicLink(Path.Combine(top, "abs"), outside);
        var source = Path.Combine(fixture.Root, "blob-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllTextAsync(source, "x", TestContext.Current.CancellationToken);
        var request = fixture.Request("cat " + outside + "/p1 " + outside + "/p2") with
        {
            LowerDirectories = [top, fixture.Lower],
            Files = [new InjectedFile("/up/p1", source, 420, 0, 0), new InjectedFile("/abs/p2", source, 420, 0, 0)],
        };

        var result = await fixture.RunAsync(request);

        Assert.Equal("xx", SandboxFixture.Text(result.Stdout));
        Assert.Empty(Directory.EnumerateFileSystemEntries(outside));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_RelativeInjectedPath_ThrowsAndCleansUp()
    {
        var source = Path.Combine(fixture.Root, "blob-" + Guid.NewGuid().ToString("N"));
        await File.WriteAllBytesAsync(source, Encoding.UTF8.GetBytes("x"), TestContext.Current.CancellationToken);
        var request = fixture.Request("true") with { Files = [new InjectedFile("etc/x", source, 420, 0, 0)] };

        var error = await Assert.ThrowsAsync<ContreeException>(() => fixture.Runtime.RunAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("etc/x", error.Message, StringComparison.Ordinal);
        Assert.False(fixture.LeftMountPoint(request));
    }
}
