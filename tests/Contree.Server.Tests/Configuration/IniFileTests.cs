using Contree.Server.Configuration;

namespace Contree.Server.Tests.Configuration;

public sealed class IniFileTests
{
    [Fact]
    public void Parse_SectionsCommentsAndSeparators_ReturnsEntriesWithLines()
    {
        const string text = "; leading comment\nurl = https://a.example\n# another\n[HTTP]\nPort: 8000\n\n[cache]\n  files = /tmp/x.db  \n";

        var entries = IniFile.Parse(text, "mcp.ini");

        Assert.Collection(
            entries,
            e => Assert.Equal(("DEFAULT", "url", "https://a.example", 2), (e.Section, e.Key, e.Value, e.Line)),
            e => Assert.Equal(("HTTP", "Port", "8000", 5), (e.Section, e.Key, e.Value, e.Line)),
            e => Assert.Equal(("cache", "files", "/tmp/x.db", 8), (e.Section, e.Key, e.Value, e.Line)));
    }

    [Fact]
    public void Parse_ValueWithEqualsSign_KeepsRestOfLine()
    {
        var entry = Assert.Single(IniFile.Parse("token = abc=def==\r\n", "f.ini"));

        Assert.Equal("abc=def==", entry.Value);
    }

    [Theory]
    [InlineData("url = x\njust some words\n", 2, "expected 'key = value'")]
    [InlineData("[http\nport = 1\n", 1, "malformed section header")]
    [InlineData("[]\n", 1, "malformed section header")]
    [InlineData("= value\n", 1, "expected 'key = value'")]
    [InlineData("[http]\nport = 1\nPORT = 2\n", 3, "duplicate key 'PORT' in [http]")]
    public void Parse_MalformedLine_ThrowsWithFileAndLine(string text, int line, string expected)
    {
        var error = Assert.Throws<SettingsException>(() => IniFile.Parse(text, "/etc/mcp.ini"));

        Assert.StartsWith($"/etc/mcp.ini:{line}: ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
