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
}
