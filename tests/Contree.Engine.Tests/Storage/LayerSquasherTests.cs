using System.Text;
using Contree.Engine.Inspect;
using Contree.Engine.Interop;
using Contree.Engine.Storage;
using Contree.Engine.Tests.Inspect;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Storage;

public sealed class LayerSquasherTests : IDisposable
{
    private readonly TestDirectory _directory = new("contree-squash");

    public static bool IsRoot => HostRequirements.IsRoot;

    public void Dispose() => _directory.Dispose();

    [Fact(Skip = "needs root for mknod and chown", SkipUnless = nameof(IsRoot))]
    public void Squash_Chain_MergedViewWithMetadata()
    {
        var lower = LayerBuilder.Dir(_directory.Path, "lower");
        var upper = LayerBuilder.Dir(_directory.Path, "upper");
        var dest = LayerBuilder.Dir(_directory.Path, "dest");
        LayerBuilder.File(lower, "bin/tool", "tool", 0b100_111_101_101);
        Libc.CheckIo(Libc.Lchown(Path.Combine(lower, "bin", "tool"), 1000, 2000), "tool", "lchown");
        // chown clears setuid, so the mode is set again afterwards.
        File.SetUnixFileMode(Path.Combine(lower, "bin", "tool"), (UnixFileMode)0b100_111_101_101);
        LayerBuilder.File(lower, "etc/gone", "deleted later");
        LayerBuilder.File(lower, "var/cache/old", "old");
        LayerBuilder.File(lower, "etc/keep", "keep");
        var keep = Path.Combine(lower, "etc", "keep");
        File.SetLastWriteTimeUtc(keep, new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc));
        Libc.CheckIo(Libc.Lsetxattr(keep, "user.note", "kept"u8, 4, 0), keep, "lsetxattr");
        LayerBuilder.Whiteout(upper, "etc/gone");
        LayerBuilder.Opaque(upper, "var/cache");
        LayerBuilder.File(upper, "var/cache/new", "new");
        LayerBuilder.Symlink(upper, "etc/link", "../bin/tool");
        Libc.CheckIo(Libc.Mknod(Path.Combine(upper, "fifo"), Libc.S_IFIFO | 0b110_100_100, 0), "fifo", "mknod");

        LayerSquasher.Squash([upper, lower], dest, TestContext.Current.CancellationToken);

        var tool = HostFs.Lstat(Path.Combine(dest, "bin", "tool"));
        Assert.Equal(0b100_111_101_101, tool.Permissions);
        Assert.Equal((1000u, 2000u), (tool.Uid, tool.Gid));
        Assert.False(File.Exists(Path.Combine(dest, "etc", "gone")));
        Assert.False(HostFs.TryLstat(Path.Combine(dest, "etc", "gone"), out _));
        Assert.Equal(["new"], Directory.EnumerateFileSystemEntries(Path.Combine(dest, "var", "cache")).Select(Path.GetFileName));
        Assert.Null(HostFs.GetXattr(Path.Combine(dest, "var", "cache"), "user.overlay.opaque"));
        Assert.Equal("../bin/tool", new FileInfo(Path.Combine(dest, "etc", "link")).LinkTarget);
        Assert.Equal(new DateTime(2001, 2, 3, 4, 5, 6, DateTimeKind.Utc), File.GetLastWriteTimeUtc(Path.Combine(dest, "etc", "keep")));
        Assert.Equal("kept", Encoding.ASCII.GetString(HostFs.GetXattr(Path.Combine(dest, "etc", "keep"), "user.note")!));
        Assert.Equal("keep", File.ReadAllText(Path.Combine(dest, "etc", "keep")));
        Assert.True(HostFs.Lstat(Path.Combine(dest, "fifo")).IsFifo);
    }
}
