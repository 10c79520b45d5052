using Contree.Engine.Interop;
using Contree.Engine.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Runtime;

public sealed class BubblewrapRuntimePropagationTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_RunsBelowSharedMount_DataDirectoryMadePrivateAndRenameStillWorks()
    {
        var shared = Path.Combine(fixture.Root, "shared-" + Guid.NewGuid().ToString("N"));
        var data = Path.Combine(shared, "data");
        var runs = Path.Combine(data, "runs");
        Directory.CreateDirectory(runs);
        Directory.CreateDirectory(Path.Combine(data, "layers"));
        Libc.CheckIo(Libc.Mount(shared, shared, null, Libc.MS_BIND, null), shared, "bind");
        try
        {
            Libc.CheckIo(Libc.Mount(null, shared, null, Libc.MS_SHARED, null), shared, "make shared");
            var request = fixture.Request("echo layer > /root/f") with { RunDirectory = Path.Combine(runs, "r1") };
            Directory.CreateDirectory(request.RunDirectory);

            var result = await fixture.RunAsync(request);

            Assert.Equal(0, result.State.ExitCode);
            var dataMount = MountInfo.Read().LastOrDefault(m => m.MountPoint == data);
            Assert.NotNull(dataMount);
            Assert.False(dataMount.IsShared);
            Assert.True(MountInfo.Read().Single(m => m.MountPoint == shared).IsShared);

            // The engine commits an upper by renaming it into layers/: both must stay on one mount.
            var layer = Path.Combine(data, "layers", "l1");
            Directory.Move(result.UpperDirectory, layer);
            Assert.Equal("layer\n", File.ReadAllText(Path.Combine(layer, "root", "f")));
        }
        finally
        {
            _ = Libc.Umount2(data, Libc.MNT_DETACH);
            _ = Libc.Umount2(shared, Libc.MNT_DETACH);
        }
    }
}
