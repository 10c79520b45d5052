using Contree.Mcp.Tests.Harness;

namespace Contree.Mcp.Tests.Tools;

public sealed class ImageToolTests
{
    [Fact]
    public async Task ListImages_FiltersByTagPrefixAndTagged()
    {
        await using var h = await McpHarness.StartAsync();
        var python = h.Backend.AddImage("common/python:3.11");
        h.Backend.AddImage("other/node");
        var untagged = h.Backend.AddImage();

        var byPrefix = await h.CallOkAsync("contree_list_images", new { tag_prefix = "common/" });
        var onlyUntagged = await h.CallOkAsync("contree_list_images", new { tagged = false });

        var image = Assert.Single(byPrefix.GetProperty("images").EnumerateArray());
        Assert.Equal(python, image.GetProperty("uuid").GetString());
        Assert.Equal("common/python:3.11", image.GetProperty("tag").GetString());
        Assert.False(string.IsNullOrEmpty(image.GetProperty("created_at").GetString()));
        var plain = Assert.Single(onlyUntagged.GetProperty("images").EnumerateArray());
        Assert.Equal(untagged, plain.GetProperty("uuid").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, plain.GetProperty("tag").ValueKind);
    }

    [Fact]
    public async Task ListImages_InvalidLimit_IsRejected()
    {
        await using var h = await McpHarness.StartAsync();

        Assert.Equal("Error executing tool contree_list_images: limit must be between 1 and 1000, got: 0", await h.CallErrorAsync("contree_list_images", new { limit = 0 }));
    }

    [Theory]
    [InlineData("uuid")]
    [InlineData("tag:common/python")]
    [InlineData("tag:common%2Fpython")]
    public async Task GetImage_UuidOrTag_ReturnsImage(string form)
    {
        await using var h = await McpHarness.StartAsync();
        var uuid = h.Backend.AddImage("common/python");

        var image = await h.CallOkAsync("contree_get_image", new { image = form == "uuid" ? uuid : form });

        Assert.Equal(uuid, image.GetProperty("uuid").GetString());
        Assert.Equal("common/python", image.GetProperty("tag").GetString());
    }

    [Fact]
    public async Task GetImage_Garbage_IsRejectedWithoutBackendCall()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_get_image", new { image = "../etc" });

        Assert.Contains("Invalid image reference: '../etc'", text, StringComparison.Ordinal);
        Assert.Equal(0, h.Backend.CallCount(nameof(h.Backend.GetImageAsync)));
    }

    [Fact]
    public async Task GetImage_UnknownUuid_IsNotFound()
    {
        await using var h = await McpHarness.StartAsync();
        var missing = Guid.NewGuid().ToString("D");

        Assert.Equal($"Error executing tool contree_get_image: Image not found: {missing}", await h.CallErrorAsync("contree_get_image", new { image = missing }));
    }

    [Fact]
    public async Task SetTag_MovesTagAndAcceptsTagReference()
    {
        await using var h = await McpHarness.StartAsync();
        var first = h.Backend.AddImage("proj/base");
        var second = h.Backend.AddImage();

        var tagged = await h.CallOkAsync("contree_set_tag", new { image_uuid = second, tag = "proj/base" });
        var viaTag = await h.CallOkAsync("contree_set_tag", new { image_uuid = "tag:proj/base", tag = "proj/next" });

        Assert.Equal("proj/base", tagged.GetProperty("tag").GetString());
        Assert.Equal(second, viaTag.GetProperty("uuid").GetString());
        Assert.Equal("proj/next", viaTag.GetProperty("tag").GetString());
        var firstNow = await h.CallOkAsync("contree_get_image", new { image = first });
        Assert.Equal(System.Text.Json.JsonValueKind.Null, firstNow.GetProperty("tag").ValueKind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public async Task SetTag_EmptyTag_RemovesTag(string? tag)
    {
        await using var h = await McpHarness.StartAsync();
        var uuid = h.Backend.AddImage("proj/base");

        var result = await h.CallOkAsync("contree_set_tag", new { image_uuid = uuid, tag });

        Assert.Equal(System.Text.Json.JsonValueKind.Null, result.GetProperty("tag").ValueKind);
        Assert.Equal(1, h.Backend.CallCount(nameof(h.Backend.UntagImageAsync)));
    }
}
