using System.Formats.Tar;
using System.Text;
using Contree.Core.Errors;
using Contree.Engine.Layers;
using B = Contree.Tests.Common.OciImageBuilder;

namespace Contree.Engine.Tests.Layers;

/// <summary>The malicious-archive corpus: every archive is rejected and nothing is written outside the layer.</summary>
public sealed class LayerExtractorHostileTests : IDisposable
{
    private readonly ExtractionScratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    private async Task<ContreeException> AssertRejectedAsync(Task<LayerStats> extraction, string messagePart)
    {
        var error = await Assert.ThrowsAsync<ContreeException>(() => extraction);
        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(messagePart, error.Message, StringComparison.Ordinal);
        _scratch.AssertOutsideUntouched();
        return error;
    }

    [Theory]
    [InlineData("../outside/evil")]
    [InlineData("a/../../outside/evil")]
    [InlineData("./../outside/evil")]
    public async Task ExtractAsync_DotDotName_Rejected(string name) =>
        await AssertRejectedAsync(_scratch.ExtractAsync(B.File(name, "x")), "'..'");

    [Fact]
    public async Task ExtractAsync_AbsoluteName_WrittenInsideLayer()
    {
        var absolute = Path.Combine(_scratch.Outside, "evil");

        await _scratch.ExtractAsync(B.File(absolute, "inside"));

        _scratch.AssertOutsideUntouched();
        Assert.Equal("inside", File.ReadAllText(_scratch.InLayer(absolute.TrimStart('/'))));
    }

    [Fact]
    public async Task ExtractAsync_WriteThroughAbsoluteSymlinkParent_Rejected()
    {
        // The classic "a -> /etc, then a/passwd", pointed at a scratch directory instead of the real /etc.
        await AssertRejectedAsync(
            _scratch.ExtractAsync(B.Symlink("a", _scratch.Outside), B.File("a/passwd", "root::0:0::/:/bin/sh")),
            "symlink");
        Assert.False(File.Exists(Path.Combine(_scratch.Outside, "passwd")));
    }

    [Fact]
    public async Task ExtractAsync_WriteThroughRelativeSymlinkParent_Rejected() =>
        await AssertRejectedAsync(
            _scratch.ExtractAsync(B.Directory("x/"), B.Symlink("x/up", "../../outside"), B.File("x/up/evil", "x")),
            "symlink");

    [Fact]
    public async Task ExtractAsync_SymlinkReplacesDirectoryThenWriteThrough_Rejected() =>
        await AssertRejectedAsync(
            _scratch.ExtractAsync(B.Directory("d/"), B.File("d/ok", "fine"), B.Symlink("d", _scratch.Outside), B.File("d/evil", "x")),
            "symlink");

    [Fact]
    public async Task ExtractAsync_WhiteoutThroughSymlinkParent_Rejected() =>
        await AssertRejectedAsync(
            _scratch.ExtractAsync(B.Symlink("s", _scratch.Outside), B.Whiteout("s/sentinel")),
            "symlink");

    [Fact]
    public async Task ExtractAsync_OpaqueMarkerThroughSymlink_Rejected() =>
        await AssertRejectedAsync(_scratch.ExtractAsync(B.Symlink("s", _scratch.Outside), B.OpaqueMarker("s")), "symlink");

    [Fact]
    public async Task ExtractAsync_HardLinkToHostFile_Rejected() =>
        await AssertRejectedAsync(_scratch.ExtractAsync(B.HardLink("h", Path.Combine(_scratch.Outside, "sentinel"))), "hard link");

    [Fact]
    public async Task ExtractAsync_HardLinkWithDotDot_Rejected() =>
        await AssertRejectedAsync(_scratch.ExtractAsync(B.HardLink("h", "../outside/sentinel")), "'..'");

    [Fact]
    public async Task ExtractAsync_HardLinkToLaterEntry_Rejected() =>
        await AssertRejectedAsync(_scratch.ExtractAsync(B.HardLink("h", "f"), B.File("f", "later")), "hard link");

    [Fact]
    public async Task ExtractAsync_HardLinkToSymlink_Rejected() =>
        await AssertRejectedAsync(
            _scratch.ExtractAsync(B.Symlink("s", Path.Combine(_scratch.Outside, "sentinel")), B.HardLink("h", "s")),
            "hard link");

    [Fact]
    public async Task ExtractAsync_HardLinkThroughReplacedParent_Rejected() =>
        await AssertRejectedAsync(
            _scratch.ExtractAsync(B.Directory("d/"), B.File("d/f", "x"), B.Symlink("d", _scratch.Outside), B.HardLink("h", "d/f")),
            "hard link");

    [Theory]
    [InlineData(TarEntryType.CharacterDevice)]
    [InlineData(TarEntryType.BlockDevice)]
    public async Task ExtractAsync_DeviceNode_Rejected(TarEntryType type)
    {
        var device = new PaxTarEntry(type, "dev/sda") { DeviceMajor = 8, DeviceMinor = 0 };

        await AssertRejectedAsync(_scratch.ExtractAsync(device), "device");
        Assert.False(File.Exists(_scratch.InLayer("dev/sda")));
    }

    [Fact]
    public async Task ExtractAsync_SizeHeaderBeyondLimit_RejectedBeforeWriting()
    {
        // A ustar header claiming 8 GiB followed by almost nothing: the size alone must stop the extraction.
        var tar = B.Tar(new UstarTarEntry(TarEntryType.RegularFile, "big") { DataStream = new MemoryStream(new byte[10]) });
        WriteOctal(tar, 124, 12, 8L << 30);

        await AssertRejectedAsync(_scratch.ExtractAsync(tar, new LayerLimits(100, 1L << 20)), "layer exceeds");
        Assert.False(File.Exists(_scratch.InLayer("big")));
    }

    [Fact]
    public async Task ExtractAsync_TotalContentBeyondLimit_Rejected() =>
        await AssertRejectedAsync(
            _scratch.ExtractAsync(B.Tar(B.File("a", new byte[600]), B.File("b", new byte[600])), new LayerLimits(100, 1000)),
            "layer exceeds the limit of 1000 bytes");

    [Fact]
    public async Task ExtractAsync_TooManyEntries_Rejected()
    {
        var entries = Enumerable.Range(0, 6).Select(i => (TarEntry)B.File($"f{i}", "x")).ToArray();

        await AssertRejectedAsync(_scratch.ExtractAsync(B.Tar(entries), new LayerLimits(5, 1L << 20)), "layer exceeds the limit of 5 entries");
    }

    [Fact]
    public async Task ExtractAsync_TruncatedArchive_Rejected()
    {
        var tar = B.Tar(B.File("f", new byte[5000]));

        var error = await Assert.ThrowsAsync<ContreeException>(() => _scratch.ExtractAsync(tar[..2048]));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        _scratch.AssertOutsideUntouched();
    }

    [Theory]
    [InlineData("a\0b")]
    [InlineData("../x")]
    [InlineData("x/../../y")]
    public void NormalizeName_NulOrDotDot_Rejected(string name)
    {
        var error = Assert.Throws<ContreeException>(() => LayerExtractor.NormalizeName(name, "name"));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
    }

    [Theory]
    [InlineData("./etc/passwd", "etc/passwd")]
    [InlineData("/etc//passwd", "etc/passwd")]
    [InlineData("././a/./b/", "a/b")]
    [InlineData("./", "")]
    public void NormalizeName_Variants_Normalized(string name, string expected) =>
        Assert.Equal(expected, LayerExtractor.NormalizeName(name, "name"));

    /// <summary>Writes a ustar numeric field (octal, NUL-terminated) and recomputes the header checksum (POSIX ustar).</summary>
    private static void WriteOctal(byte[] header, int offset, int length, long value)
    {
        var text = Convert.ToString(value, 8).PadLeft(length - 1, '0');
        Encoding.ASCII.GetBytes(text).CopyTo(header, offset);
        header[offset + length - 1] = 0;
        Array.Fill(header, (byte)' ', 148, 8);
        var sum = header.Take(512).Sum(b => (int)b);
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0')).CopyTo(header, 148);
        header[154] = 0;
        header[155] = (byte)' ';
    }
}
