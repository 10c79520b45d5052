using System.Text;
using Contree.Mcp.Tests.Harness;

namespace Contree.Mcp.Tests.Tools;

public sealed class InspectToolTests
{
    [Fact]
    public async Task ListFiles_Root_ReturnsTypedEntriesWithAbsolutePaths()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage(files: new Dictionary<string, string> { ["/etc/passwd"] = "root:x:0:0" });
        h.Backend.AddFile(image, "/bin/sh", "ELF"u8.ToArray(), 0x1ED);
        h.Backend.AddSymlink(image, "/etc/localtime", "/usr/share/zoneinfo/UTC");
        h.Backend.AddFifo(image, "/etc/pipe");

        var root = await h.CallOkAsync("contree_list_files", new { image });
        var etc = await h.CallOkAsync("contree_list_files", new { image, path = "etc" });
        var bin = await h.CallOkAsync("contree_list_files", new { image, path = "/bin" });

        Assert.Equal("/", root.GetProperty("path").GetString());
        Assert.Equal(2, root.GetProperty("count").GetInt32());
        var entries = etc.GetProperty("files").EnumerateArray().ToDictionary(e => e.GetProperty("name").GetString()!);
        Assert.Equal("/etc/passwd", entries["passwd"].GetProperty("path").GetString());
        Assert.Equal("file", entries["passwd"].GetProperty("type").GetString());
        Assert.Equal("0o644", entries["passwd"].GetProperty("mode").GetString());
        Assert.Equal("symlink", entries["localtime"].GetProperty("type").GetString());
        Assert.Equal("/usr/share/zoneinfo/UTC", entries["localtime"].GetProperty("target").GetString());
        Assert.Equal("fifo", entries["pipe"].GetProperty("type").GetString());
        Assert.Equal("0o755", bin.GetProperty("files")[0].GetProperty("mode").GetString());
    }

    [Fact]
    public async Task ListFiles_MissingDirectory_IsNotFound()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();

        Assert.Contains("Path not found", await h.CallErrorAsync("contree_list_files", new { image, path = "/nope" }), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReadFile_Text_ReturnsUtf8()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage(files: new Dictionary<string, string> { ["/etc/motd"] = "héllo" });

        var result = await h.CallOkAsync("contree_read_file", new { image, path = "etc/motd" });

        Assert.Equal("héllo", result.GetProperty("content").GetString());
        Assert.Equal("utf-8", result.GetProperty("encoding").GetString());
        Assert.Equal(6, result.GetProperty("bytes_size").GetInt64());
        Assert.Equal("etc/motd", result.GetProperty("path").GetString());
        Assert.False(result.TryGetProperty("truncated", out _));
    }

    [Fact]
    public async Task ReadFile_Binary_ReturnsBase64()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        h.Backend.AddFile(image, "/bin/x", [0x7F, 0x45, 0xFF, 0x00]);

        var result = await h.CallOkAsync("contree_read_file", new { image, path = "/bin/x" });

        Assert.Equal("base64", result.GetProperty("encoding").GetString());
        Assert.Equal(Convert.ToBase64String([0x7F, 0x45, 0xFF, 0x00]), result.GetProperty("content").GetString());
    }

    [Fact]
    public async Task ReadFile_LargerThanMaxBytes_IsTruncatedAtACharacterBoundary()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        h.Backend.AddFile(image, "/big", Encoding.UTF8.GetBytes("aé" + new string('b', 100)));

        var result = await h.CallOkAsync("contree_read_file", new { image, path = "/big", max_bytes = 2 });

        Assert.True(result.GetProperty("truncated").GetBoolean());
        Assert.Equal("a", result.GetProperty("content").GetString());
        Assert.Equal("utf-8", result.GetProperty("encoding").GetString());
        Assert.Equal(103, result.GetProperty("bytes_size").GetInt64());
    }

    [Fact]
    public async Task ReadFile_Directory_IsRejected()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage(files: new Dictionary<string, string> { ["/etc/a"] = "a" });

        Assert.Contains("Not a regular file", await h.CallErrorAsync("contree_read_file", new { image, path = "/etc" }), StringComparison.Ordinal);
    }
}
