using System.Text.RegularExpressions;
using Contree.Core.Errors;
using Contree.Engine.Inspect;
using Contree.Engine.Interop;
using Contree.Engine.Storage;

using Contree.Tests.Common;

namespace Contree.Engine.Tests.Inspect;

public sealed partial class ImageInspectorTests : IDisposable
{
    private const string Uuid = "11111111-2222-3333-4444-555555555555";
    private readonly TestDirectory _directory = new("contree-inspector");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void ListDirectory_Entries_SortedWithMetadata()
    {
        var layer = LayerBuilder.Dir(_directory.Path, "layer");
        LayerBuilder.File(layer, "etc/passwd", "root:x:0:0", 0b110_100_100);
        LayerBuilder.Dir(layer, "etc/apt", 0b111_101_101);
        LayerBuilder.Symlink(layer, "etc/mtab", "/proc/mounts");
        // The store keeps image owners under the sandbox's host ids; inspection reports the image's.
        Libc.CheckIo(Libc.Lchown(Path.Combine(layer, "etc", "passwd"), SandboxIds.ToHost(12), SandboxIds.ToHost(34)), "passwd", "lchown");
        var inspector = new ImageInspector(Uuid, [layer]);

        var list = inspector.ListDirectory("etc");

        Assert.Equal("/etc", list.Path);
        Assert.Equal(["apt", "mtab", "passwd"], list.Files.Select(f => f.Path));
        var passwd = list.Files[2];
        Assert.True(passwd.IsRegular);
        Assert.Equal(10, passwd.Size);
        Assert.Equal("12", passwd.Owner);
        Assert.Equal("34", passwd.Group);
        Assert.Equal(0x8000 | 0b110_100_100, passwd.Mode);
        Assert.True(list.Files[0].IsDir);
        Assert.Equal(0x4000 | 0b111_101_101, list.Files[0].Mode);
        Assert.True(list.Files[1].IsSymlink);
        Assert.Equal("/proc/mounts", list.Files[1].SymlinkTo);
    }

    [Fact]
    public void ListDirectoryText_Entries_LsLongFormat()
    {
        var layer = LayerBuilder.Dir(_directory.Path, "layer");
        LayerBuilder.Dir(layer, "etc");
        LayerBuilder.File(layer, "etc/hostname", "linuxkit\n");
        LayerBuilder.Symlink(layer, "etc/localtime", "/usr/share/zoneinfo/UTC");
        var hostname = Path.Combine(layer, "etc", "hostname");
        StoreIdMigration.ShiftTree(layer);
        File.SetLastWriteTimeUtc(hostname, new DateTime(2026, 11, 23, 10, 0, 0, DateTimeKind.Utc));
        var now = new DateTimeOffset(2026, 11, 24, 0, 0, 0, TimeSpan.Zero);
        var inspector = new ImageInspector(Uuid, [layer]);

        var lines = inspector.ListDirectoryText("/etc", now).Split('\n', StringSplitOptions.RemoveEmptyEntries);

        Assert.Matches(TotalLine(), lines[0]);
        Assert.Equal("-rw-r--r--    1 0        0                9 Nov 23 10:00 hostname", lines[1]);
        Assert.StartsWith("lrwxrwxrwx    1 0        0", lines[2], StringComparison.Ordinal);
        Assert.EndsWith(" localtime -> /usr/share/zoneinfo/UTC", lines[2], StringComparison.Ordinal);
        Assert.Equal(3, lines.Length);
    }

    [Theory]
    [InlineData(0x4000 | 0b111_101_101, "drwxr-xr-x")]
    [InlineData(0x8000 | 0b100_111_101_101, "-rwsr-xr-x")]
    [InlineData(0x8000 | 0b010_110_100_100, "-rw-r-Sr--")]
    [InlineData(0x4000 | 0b001_111_111_111, "drwxrwxrwt")]
    [InlineData(0x2000, "c---------")]
    [InlineData(0x1000 | 0b110_110_110, "prw-rw-rw-")]
    public void ModeString_Modes_LsLetters(int mode, string expected) => Assert.Equal(expected, LsFormatter.ModeString(mode));

    [Fact]
    public void OpenFile_ThroughSymlink_ReadsImageFile()
    {
        var layer = LayerBuilder.Dir(_directory.Path, "layer");
        LayerBuilder.File(layer, "etc/os-release", "ID=test\n");
        LayerBuilder.Symlink(layer, "usr/lib/os-release", "../../etc/os-release");
        var inspector = new ImageInspector(Uuid, [layer]);

        using var stream = inspector.OpenFile("/usr/lib/os-release");
        using var reader = new StreamReader(stream);

        Assert.Equal("ID=test\n", reader.ReadToEnd());
        Assert.True(inspector.FileExists("usr/lib/os-release"));
        Assert.False(inspector.FileExists("/usr/lib"));
        Assert.False(inspector.FileExists("/nope"));
    }

    [Fact]
    public void FileExistsAndOpenFile_TrailingSlashAfterAFile_IsNotTheFile()
    {
        var layer = LayerBuilder.Dir(_directory.Path, "layer");
        LayerBuilder.File(layer, "etc/passwd", "root:x:0:0::/root:/bin/sh\n");
        var inspector = new ImageInspector(Uuid, [layer]);

        var error = Assert.Throws<ContreeException>(() => inspector.OpenFile("/etc/passwd/"));

        Assert.False(inspector.FileExists("/etc/passwd/"));
        Assert.True(inspector.FileExists("/etc/passwd"));
        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
        Assert.Contains("/etc/passwd is not a directory", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OpenFile_MissingOrDirectory_ErrorsNameImageAndPath()
    {
        var layer = LayerBuilder.Dir(_directory.Path, "layer");
        LayerBuilder.Dir(layer, "etc");
        var inspector = new ImageInspector(Uuid, [layer]);

        var missing = Assert.Throws<ContreeException>(() => inspector.OpenFile("etc/nope"));
        var directory = Assert.Throws<ContreeException>(() => inspector.OpenFile("/etc"));
        var notDir = Assert.Throws<ContreeException>(() => inspector.ListDirectory("/etc/nope"));

        Assert.Equal(ContreeErrorKind.NotFound, missing.Kind);
        Assert.Equal($"path /etc/nope not found in image {Uuid}", missing.Message);
        Assert.Equal(ContreeErrorKind.InvalidArgument, directory.Kind);
        Assert.Contains("is a directory", directory.Message, StringComparison.Ordinal);
        Assert.Equal(ContreeErrorKind.NotFound, notDir.Kind);
    }

    [GeneratedRegex(@"^total \d+$")]
    private static partial Regex TotalLine();
}
