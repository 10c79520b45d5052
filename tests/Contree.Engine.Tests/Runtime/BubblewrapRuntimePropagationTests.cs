using Contree.Core.Errors;
using Contree.Engine.Interop;
using Contree.Engine.Runtime;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Contree.Engine.Tests.Runtime;

public sealed class BubblewrapRuntimePropagationTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    /// <summary>
    /// systemd makes "/" and /run shared: run overlays mounted below a shared mount would show up in every peer mount
    /// namespace. The mount root is made private (once), its parent stays as it was, and the upper still commits by
    /// rename (it stays in the data directory).
    /// </summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_MountRootBelowSharedMount_MadePrivateOnceAndRenameStillWorks()
    {
        var shared = Directory.CreateDirectory("/run/contree-propagation-" + Guid.NewGuid().ToString("N")).FullName;
        var mountRoot = Path.Combine(shared, "mounts");
        Libc.CheckIo(Libc.Mount(shared, shared, null, Libc.MS_BIND, null), shared, "bind");
        try
        {
            Libc.CheckIo(Libc.Mount(null, shared, null, Libc.MS_SHARED, null), shared, "make shared");
            using var runtime = new BubblewrapRuntime(
                new RuntimeOptions { MountRoot = mountRoot, CgroupName = fixture.Options.CgroupName }, NullLogger<BubblewrapRuntime>.Instance);
            foreach (var text in new[] { "one", "two" })
            {
                var request = fixture.Request($"echo {text} > /root/f");
                var result = await runtime.RunAsync(request, TestContext.Current.CancellationToken);

                Assert.Equal(0, result.State.ExitCode);
                var layer = Path.Combine(fixture.Root, "data", "layers", "l-" + Guid.NewGuid().ToString("N"));
                Directory.Move(result.UpperDirectory, layer);
                Assert.Equal(text + "\n", File.ReadAllText(Path.Combine(layer, "root", "f")));
            }

            var mounts = MountInfo.Read().Where(m => m.MountPoint == mountRoot).ToList();
            Assert.Single(mounts);
            Assert.False(mounts[0].IsShared);
            Assert.True(MountInfo.Read().Single(m => m.MountPoint == shared).IsShared);
        }
        finally
        {
            _ = Libc.Umount2(mountRoot, Libc.MNT_DETACH);
            _ = Libc.Umount2(shared, Libc.MNT_DETACH);
            Directory.Delete(shared, recursive: true);
        }
    }

    /// <summary>bwrap runs as the sandbox's root, an unprivileged host id: a mount root it cannot reach is refused clearly.</summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_MountRootOthersCannotReach_UnavailableNamingTheDirectory()
    {
        var hidden = Path.Combine(fixture.Root, "hidden-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(hidden);
        File.SetUnixFileMode(hidden, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var runtime = new BubblewrapRuntime(
            new RuntimeOptions { MountRoot = Path.Combine(hidden, "mounts"), CgroupName = fixture.Options.CgroupName }, NullLogger<BubblewrapRuntime>.Instance);
        var request = fixture.Request("true");

        var error = await Assert.ThrowsAsync<ContreeException>(() => runtime.RunAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.Contains($"'{hidden}' lacks search permission for others", error.Message, StringComparison.Ordinal);
        Assert.False(Directory.Exists(Path.Combine(request.RunDirectory, "work")), "nothing of the run may stay");
    }
}
