using Contree.Core.Models;
using Contree.Engine.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Runtime;

/// <summary>
/// The capture keeps at most truncate_output_at bytes, holds only a head and a tail window in memory, and writes
/// everything it keeps to its spill file once the windows cannot hold it all. Small windows (16 + 16 bytes) make
/// every boundary reachable with a few bytes.
/// </summary>
public sealed class OutputCaptureTests : IDisposable
{
    private const int Window = 16;

    private readonly TestDirectory _directory = new("contree-capture");

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _directory.Dispose();

    private string SpillPath => _directory.Combine("out.stdout");

    private static byte Pattern(long i) => (byte)(i * 7 % 251);

    private static byte[] Expected(long length) => [.. Enumerable.Range(0, (int)length).Select(i => Pattern(i))];

    private async Task<CapturedOutput> CaptureAsync(long produced, long limit, string? spill, params int[] reads)
    {
        using var capture = new OutputCapture(limit, spill, Window, Window);
        await capture.DrainAsync(new GeneratedStream(produced, Pattern, reads), Ct);
        return capture.ToResult();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(Window)]
    [InlineData(Window + 1)]
    [InlineData(2 * Window)]
    public async Task Drain_FitsInWindows_KeepsAllInMemoryWithoutSpillFile(int produced)
    {
        var result = await CaptureAsync(produced, 1000, SpillPath, 3, 7);

        Assert.Equal(produced, result.KeptBytes);
        Assert.Equal(Expected(produced), (byte[])[.. result.Head, .. result.Tail]);
        Assert.Equal(0, result.OmittedBytes);
        Assert.False(result.Truncated);
        Assert.Null(result.SpillPath);
        Assert.False(File.Exists(SpillPath));
    }

    [Theory]
    [InlineData(2 * Window + 1, 1)]
    [InlineData(2 * Window + 1, 64)]
    [InlineData(100, 3)]
    [InlineData(1000, 5)]
    [InlineData(1000, 1000)]
    public async Task Drain_OutgrowsWindows_SpillsEverythingAndKeepsHeadAndTail(int produced, int read)
    {
        var result = await CaptureAsync(produced, 100_000, SpillPath, read);

        var expected = Expected(produced);
        Assert.Equal(produced, result.KeptBytes);
        Assert.Equal(expected[..Window], result.Head);
        Assert.Equal(expected[^Window..], result.Tail);
        Assert.Equal(produced - 2 * Window, result.OmittedBytes);
        Assert.Equal(SpillPath, result.SpillPath);
        Assert.Equal(expected, await File.ReadAllBytesAsync(SpillPath, Ct));
    }

    [Theory]
    [InlineData(40, 1)]
    [InlineData(40, 13)]
    [InlineData(2 * Window, 5)]
    [InlineData(2 * Window + 1, 5)]
    public async Task Drain_OverLimit_KeepsExactlyTheLimitAndMarksTruncated(int limit, int read)
    {
        var result = await CaptureAsync(500, limit, SpillPath, read);

        var expected = Expected(limit);
        Assert.Equal(limit, result.KeptBytes);
        Assert.True(result.Truncated);
        Assert.Equal(expected[..Window], result.Head);
        Assert.Equal(expected[Window..][^Math.Min(Window, limit - Window)..], result.Tail);
        if (limit > 2 * Window)
        {
            Assert.Equal(expected, await File.ReadAllBytesAsync(SpillPath, Ct));
        }
        else
        {
            Assert.False(File.Exists(SpillPath));
        }
    }

    [Fact]
    public async Task Drain_LimitBelowHeadWindow_KeepsOnlyTheLimit()
    {
        var result = await CaptureAsync(100, 10, SpillPath, 4);

        Assert.Equal(Expected(10), result.Head);
        Assert.Empty(result.Tail);
        Assert.True(result.Truncated);
        Assert.False(File.Exists(SpillPath));
    }

    [Fact]
    public async Task Drain_BinaryOutput_EveryByteValueRoundTrips()
    {
        byte Binary(long i) => (byte)(i % 256);
        using var capture = new OutputCapture(10_000, SpillPath, Window, Window);
        await capture.DrainAsync(new GeneratedStream(4096, Binary, 1, 255, 4000), Ct);
        var result = capture.ToResult();

        var expected = Enumerable.Range(0, 4096).Select(i => (byte)(i % 256)).ToArray();
        Assert.Equal(expected, await File.ReadAllBytesAsync(SpillPath, Ct));
        var view = result.ToPayload();
        Assert.Equal(StreamPayload.Base64, view.Encoding);
        Assert.Equal(4096, view.Size);
        Assert.Equal((byte[])[.. expected[..Window], .. expected[^Window..]], view.ToBytes());
        Assert.Equal(Window, view.OmittedAt);
    }

    [Fact]
    public async Task Drain_NoSpillPath_DropsTheMiddleButKeepsHeadAndTail()
    {
        var result = await CaptureAsync(1000, 100_000, null, 9);

        var expected = Expected(1000);
        Assert.Equal(expected[..Window], result.Head);
        Assert.Equal(expected[^Window..], result.Tail);
        Assert.Null(result.SpillPath);
    }

    [Fact]
    public async Task Drain_Flood_HoldsOnlyTheWindowsInMemory()
    {
        // 300 MB against the largest truncate_output_at, with the real 512 KiB windows: everything kept goes to the
        // file, and memory never holds more than the two windows and one read buffer.
        const long limit = 64L * 1024 * 1024;
        using var capture = new OutputCapture(limit, SpillPath);
        await capture.DrainAsync(new GeneratedStream(300_000_000, static _ => (byte)'a', 65536, 4096, 100_000), Ct);
        var result = capture.ToResult();

        Assert.Equal(limit, result.KeptBytes);
        Assert.True(result.Truncated);
        Assert.InRange(result.PeakBufferBytes, 1, StreamPayload.ViewHeadBytes + StreamPayload.ViewTailBytes + 65536);
        Assert.Equal(limit, new FileInfo(SpillPath).Length);
        Assert.Equal(StreamPayload.ViewHeadBytes, result.Head.Length);
        Assert.Equal(StreamPayload.ViewTailBytes, result.Tail.Length);
    }
}
