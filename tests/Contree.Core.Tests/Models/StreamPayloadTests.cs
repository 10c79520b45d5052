using Contree.Core.Models;

namespace Contree.Core.Tests.Models;

public sealed class StreamPayloadTests
{
    [Fact]
    public void FromBytes_Ascii_KeepsText()
    {
        var payload = StreamPayload.FromBytes("hello\n"u8);

        Assert.Equal(StreamPayload.Ascii, payload.Encoding);
        Assert.Equal("hello\n", payload.Value);
        Assert.False(payload.Truncated);
    }

    [Fact]
    public void FromBytes_NonAscii_UsesBase64AndRoundTrips()
    {
        byte[] data = [0xff, 0x00, 0x41];

        var payload = StreamPayload.FromBytes(data);

        Assert.Equal(StreamPayload.Base64, payload.Encoding);
        Assert.Equal(data, payload.ToBytes());
    }

    [Fact]
    public void FromBytes_OverMaxSize_CutsAndMarksTruncated()
    {
        var payload = StreamPayload.FromBytes("abcdef"u8, maxSize: 3);

        Assert.Equal("abc", payload.Value);
        Assert.True(payload.Truncated);
    }

    [Fact]
    public void ToText_InvalidUtf8_IsReplacedNotThrown()
    {
        var payload = new StreamPayload { Value = Convert.ToBase64String([0x68, 0xff, 0x69]), Encoding = StreamPayload.Base64 };

        Assert.Equal("h\uFFFDi", payload.ToText());
    }

    [Fact]
    public void FromText_EmptyOrNull_IsTheEmptyAsciiStream()
    {
        Assert.Same(StreamPayload.Empty, StreamPayload.FromText(null));
        Assert.Equal("é", StreamPayload.FromText("é").ToText());
    }

    [Theory]
    [InlineData("0644", 0x1A4)]
    [InlineData("0o755", 0x1ED)]
    [InlineData("0o100644", 0x1A4)]
    [InlineData("4755", 0x9ED)]
    public void InstanceFileSpec_ParseMode_AcceptsTheThreeFormats(string mode, int expected)
    {
        Assert.Equal(expected, new InstanceFileSpec { Uuid = "f", Mode = mode }.ParseMode());
    }

    [Theory]
    [InlineData("")]
    [InlineData("rw-r--r--")]
    [InlineData("0o99")]
    public void InstanceFileSpec_ParseMode_RejectsNonOctal(string mode)
    {
        Assert.Null(new InstanceFileSpec { Uuid = "f", Mode = mode }.ParseMode());
    }

    [Theory]
    [InlineData("python:", "python")]
    [InlineData("common/", "common")]
    [InlineData("a.b.:/", "a.b")]
    [InlineData(":/.", null)]
    [InlineData("", null)]
    public void ImageListQuery_NormalizedTagPrefix_StripsTrailingSeparators(string prefix, string? expected)
    {
        Assert.Equal(expected, new ImageListQuery { TagPrefix = prefix }.NormalizedTagPrefix);
    }

    [Fact]
    public void ToView_LongAscii_HeadAndTailWithOmittedCountAndSlicesBothEnds()
    {
        var data = Enumerable.Range(0, 3_000_000).Select(static i => (byte)('a' + i % 26)).ToArray();
        var view = StreamPayload.FromBytes(data).ToView();

        Assert.Equal(StreamPayload.Ascii, view.Encoding);
        Assert.Equal(data.Length, view.Size);
        Assert.Equal(data.Length - StreamPayload.ViewHeadBytes - StreamPayload.ViewTailBytes, view.OmittedBytes);
        Assert.Equal(StreamPayload.ViewHeadBytes, view.OmittedAt);
        Assert.Equal(data.AsSpan(10, 20).ToArray(), view.TrySlice(10, 20));
        Assert.Equal(data.AsSpan(data.Length - 30, 30).ToArray(), view.TrySlice(data.Length - 30, 100));
        Assert.Null(view.TrySlice(StreamPayload.ViewHeadBytes - 1, 2));
        Assert.Empty(view.TrySlice(data.Length + 1, 5)!);
    }

    [Fact]
    public void ToView_ShortOrBinary_ShortStaysWholeAndBinaryRoundTripsItsEnds()
    {
        var small = StreamPayload.FromBytes("abc"u8);
        var binary = Enumerable.Range(0, 1_500_000).Select(static i => (byte)(i * 7 % 256)).ToArray();

        var view = StreamPayload.FromBytes(binary).ToView();

        Assert.Same(small, small.ToView());
        Assert.Equal(StreamPayload.Base64, view.Encoding);
        Assert.Equal(binary.Length, view.Size);
        Assert.Equal(StreamPayload.ViewHeadBytes + StreamPayload.ViewTailBytes, view.ByteLength);
        Assert.Equal(binary.AsSpan(binary.Length - 5).ToArray(), view.TrySlice(binary.Length - 5, 5));
        Assert.Equal(binary.AsSpan(1000, 10).ToArray(), StreamPayload.FromBytes(binary).Slice(1000, 10));
    }

    [Fact]
    public void Serialize_ViewFieldsOnlyWhenSomethingIsOmitted()
    {
        var view = StreamPayload.View("ab"u8, "yz"u8, 100, truncated: false);
        var json = System.Text.Json.JsonSerializer.Serialize(
            new InstanceMetadata { Command = "x", Image = "i", Result = new InstanceResult { Stdout = StreamPayload.FromBytes("hi"u8), Stderr = view } },
            Contree.Core.Json.ContreeJsonContext.Default.InstanceMetadata);

        Assert.Contains("\"stdout\":{\"value\":\"hi\",\"encoding\":\"ascii\",\"truncated\":false}", json, StringComparison.Ordinal);
        Assert.Contains("\"omitted_bytes\":100,\"omitted_at\":2", json, StringComparison.Ordinal);
        Assert.Equal(104, view.Size);
    }
}
