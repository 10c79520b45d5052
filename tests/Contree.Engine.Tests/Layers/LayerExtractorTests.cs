using System.Formats.Tar;
using Contree.Tests.Common;
using B = Contree.Tests.Common.OciImageBuilder;

namespace Contree.Engine.Tests.Layers;

/// <summary>What a valid layer becomes on disk: overlayfs upper format with metadata kept.</summary>
public sealed class LayerExtractorTests : IDisposable
{
    private readonly ExtractionScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    public static bool IsRoot => HostRequirements.IsRoot;

    [Fact]
    public async Task ExtractAsync_Whiteout_BecomesCharacterDevice00()
    {
        var stats = await _scratch.ExtractAsync(B.Directory("bin/"), B.Whiteout("bin/vi"));

        Assert.Equal(1, stats.Whiteouts);
        Assert.Equal("character special file 0:0", FileProbe.Stat(_scratch.InLayer("bin/vi"), "%F %t:%T"));
        Assert.False(File.Exists(_scratch.InLayer("bin/.wh.vi")));
    }

    [Fact]
    public async Task ExtractAsync_WhiteoutAfterFile_ReplacesFile()
    {
        await _scratch.ExtractAsync(B.File("etc/motd", "hello"), B.Whiteout("etc/motd"));

        Assert.Equal("character special file", FileProbe.Stat(_scratch.InLayer("etc/motd"), "%F"));
    }

    [Fact]
    public async Task ExtractAsync_OpaqueMarker_SetsUserOverlayOpaqueXattr()
    {
        var stats = await _scratch.ExtractAsync(B.Directory("usr/"), B.OpaqueMarker("usr"), B.File("usr/new", "n"));

        Assert.Equal(1, stats.OpaqueDirectories);
        Assert.Equal("y", FileProbe.GetXattr(_scratch.InLayer("usr"), "user.overlay.opaque"));
        Assert.False(File.Exists(_scratch.InLayer("usr/.wh..wh..opq")));
        Assert.Equal("n", File.ReadAllText(_scratch.InLayer("usr/new")));
    }

    [Fact]
    public async Task ExtractAsync_ModesIncludingSpecialBits_Kept()
    {
        var setuid = (UnixFileMode)0b100_111_101_101; // 4755
        var sticky = (UnixFileMode)0b001_111_111_111; // 1777
        await _scratch.ExtractAsync(B.File("bin/su", "su", setuid), B.Directory("tmp/", sticky), B.File("secret", "s", (UnixFileMode)0b110_000_000));

        Assert.Equal(setuid, File.GetUnixFileMode(_scratch.InLayer("bin/su")));
        Assert.Equal(sticky, File.GetUnixFileMode(_scratch.InLayer("tmp")));
        Assert.Equal((UnixFileMode)0b110_000_000, File.GetUnixFileMode(_scratch.InLayer("secret")));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(IsRoot))]
    public async Task ExtractAsync_Owners_KeptNumericallyUnderTheSandboxRange()
    {
        await _scratch.ExtractAsync(
            B.File("home/user/file", "x", uid: 1234, gid: 4321), B.Symlink("home/link", "user/file"), B.File("far", "x", uid: 70000, gid: 100000));

        // Image id n is host id 0x70000000 + n; ids a sandbox cannot have (above 65535) become nobody.
        Assert.Equal("1879049426:1879052513", FileProbe.Stat(_scratch.InLayer("home/user/file"), "%u:%g"));
        Assert.Equal("1879048192:1879048192", FileProbe.Stat(_scratch.InLayer("home/link"), "%u:%g"));
        Assert.Equal("1879113726:1879113726", FileProbe.Stat(_scratch.InLayer("far"), "%u:%g"));

        // The layer root and directories implied by a path belong to the image's root, not to host root.
        Assert.Equal("1879048192:1879048192", FileProbe.Stat(_scratch.InLayer("home"), "%u:%g"));
        Assert.Equal("1879048192:1879048192", FileProbe.Stat(_scratch.InLayer("."), "%u:%g"));
    }

    [Fact]
    public async Task ExtractAsync_Mtimes_KeptForFilesSymlinksAndDirectories()
    {
        var time = new DateTimeOffset(2020, 5, 6, 7, 8, 9, TimeSpan.Zero);
        var directory = B.Directory("d/");
        directory.ModificationTime = time;
        var file = B.File("d/f", "x");
        file.ModificationTime = time.AddDays(1);
        var link = B.Symlink("d/l", "f");
        link.ModificationTime = time.AddDays(2);

        // The directory entry comes first; writing its children must not change its mtime.
        await _scratch.ExtractAsync(directory, file, link);

        Assert.Equal(time.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), FileProbe.Stat(_scratch.InLayer("d"), "%Y"));
        Assert.Equal(time.AddDays(1).UtcDateTime, File.GetLastWriteTimeUtc(_scratch.InLayer("d/f")));
        Assert.Equal(time.AddDays(2).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), FileProbe.Stat(_scratch.InLayer("d/l"), "%Y"));
    }

    [Fact]
    public async Task ExtractAsync_PaxXattrs_AppliedExceptTrustedAndOverlay()
    {
        var attributes = new Dictionary<string, string>
        {
            ["SCHILY.xattr.user.comment"] = "hello",
            ["SCHILY.xattr.trusted.overlay.opaque"] = "y",
            ["SCHILY.xattr.user.overlay.redirect"] = "/etc",
        };
        var entry = new PaxTarEntry(TarEntryType.RegularFile, "file", attributes) { DataStream = new MemoryStream("x"u8.ToArray()) };

        var stats = await _scratch.ExtractAsync(entry);

        Assert.Equal("hello", FileProbe.GetXattr(_scratch.InLayer("file"), "user.comment"));
        Assert.Null(FileProbe.GetXattr(_scratch.InLayer("file"), "user.overlay.redirect"));
        Assert.Equal(2, stats.SkippedAttributes);
    }

    [Fact]
    public async Task ExtractAsync_SymlinkTargets_StoredVerbatim()
    {
        await _scratch.ExtractAsync(B.Symlink("abs", "/etc/passwd"), B.Symlink("rel", "../../../../nowhere"));

        Assert.Equal("/etc/passwd", new FileInfo(_scratch.InLayer("abs")).LinkTarget);
        Assert.Equal("../../../../nowhere", new FileInfo(_scratch.InLayer("rel")).LinkTarget);
        _scratch.AssertOutsideUntouched();
    }

    [Fact]
    public async Task ExtractAsync_HardLinkToEarlierFile_SharesInode()
    {
        await _scratch.ExtractAsync(B.File("bin/busybox", "bb"), B.HardLink("bin/sh", "bin/busybox"));

        Assert.Equal(FileProbe.Stat(_scratch.InLayer("bin/busybox"), "%i"), FileProbe.Stat(_scratch.InLayer("bin/sh"), "%i"));
        Assert.Equal("2", FileProbe.Stat(_scratch.InLayer("bin/sh"), "%h"));
    }

    [Fact]
    public async Task ExtractAsync_Fifo_Created()
    {
        await _scratch.ExtractAsync(new PaxTarEntry(TarEntryType.Fifo, "run/pipe") { Mode = (UnixFileMode)0b110_100_000 });

        Assert.Equal("fifo", FileProbe.Stat(_scratch.InLayer("run/pipe"), "%F"));
        Assert.Equal((UnixFileMode)0b110_100_000, File.GetUnixFileMode(_scratch.InLayer("run/pipe")));
    }

    [Fact]
    public async Task ExtractAsync_LaterEntrySameName_Overwrites()
    {
        await _scratch.ExtractAsync(
            B.File("f", "one"), B.File("f", "two"),
            B.Directory("d/"), B.File("d/inner", "x"), B.File("d", "now a file"),
            B.File("s", "file"), B.Symlink("s", "f"));

        Assert.Equal("two", File.ReadAllText(_scratch.InLayer("f")));
        Assert.Equal("now a file", File.ReadAllText(_scratch.InLayer("d")));
        Assert.Equal("f", new FileInfo(_scratch.InLayer("s")).LinkTarget);
    }

    [Fact]
    public async Task ExtractAsync_DirectoryReplacedContainingSymlink_DoesNotFollowIt()
    {
        // Removing a directory that holds a symlink to the outside must unlink the symlink, not empty its target.
        await _scratch.ExtractAsync(B.Directory("d/"), B.Symlink("d/out", _scratch.Outside), B.File("d", "file"));

        _scratch.AssertOutsideUntouched();
        Assert.Equal("file", File.ReadAllText(_scratch.InLayer("d")));
    }

    [Fact]
    public async Task ExtractAsync_ImplicitParents_CreatedAndCounted()
    {
        var stats = await _scratch.ExtractAsync(B.File("a/b/c/file", "12345"));

        Assert.Equal(1, stats.Entries);
        Assert.Equal(5, stats.FileBytes);
        Assert.Equal("12345", File.ReadAllText(_scratch.InLayer("a/b/c/file")));
    }
}
