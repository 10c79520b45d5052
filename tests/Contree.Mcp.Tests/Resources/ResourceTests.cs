using System.Text.Json;
using Contree.Core.Models;
using Contree.Mcp.Tests.Harness;
using Contree.Tests.Common;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Contree.Mcp.Tests.Resources;

public sealed class ResourceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<ResourceContents> ReadAsync(McpHarness h, string uri) =>
        Assert.Single((await h.Client.ReadResourceAsync(uri, cancellationToken: Ct)).Contents);

    [Theory]
    [InlineData("contree://image/{0}/read/etc/passwd")]
    [InlineData("contree://image/{0}/read//etc/passwd")]
    [InlineData("contree://image/tag:common%2Fbase/read/etc/passwd")]
    public async Task Read_TextFile_ReturnsTextPlain(string template)
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage("common/base", new Dictionary<string, string> { ["/etc/passwd"] = "root:x:0:0" });

        var contents = Assert.IsType<TextResourceContents>(await ReadAsync(h, string.Format(System.Globalization.CultureInfo.InvariantCulture, template, image)));

        Assert.Equal("root:x:0:0", contents.Text);
        Assert.Equal("text/plain", contents.MimeType);
    }

    [Fact]
    public async Task Read_BinaryFile_ReturnsBlob()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        h.Backend.AddFile(image, "/bin/x", [0xFF, 0x00, 0x01]);

        var contents = Assert.IsType<BlobResourceContents>(await ReadAsync(h, $"contree://image/{image}/read/bin/x"));

        Assert.Equal("application/octet-stream", contents.MimeType);
        Assert.Equal(new byte[] { 0xFF, 0x00, 0x01 }, contents.DecodedData.ToArray());
    }

    [Fact]
    public async Task Read_MissingFile_IsAnErrorNamingThePath()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();

        var error = await Assert.ThrowsAnyAsync<McpException>(() => ReadAsync(h, $"contree://image/{image}/read/etc/missing"));

        Assert.Contains("/etc/missing", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".")]
    [InlineData("etc")]
    public async Task Ls_Directory_ReturnsListingText(string path)
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage(files: new Dictionary<string, string> { ["/etc/hosts"] = "127.0.0.1" });

        var contents = Assert.IsType<TextResourceContents>(await ReadAsync(h, $"contree://image/{image}/ls/{path}"));

        Assert.Contains(path == "." ? "etc" : "hosts", contents.Text, StringComparison.Ordinal);
        Assert.Equal("text/plain", contents.MimeType);
    }

    [Fact]
    public async Task Lineage_Chain_ListsParentChildrenAncestorsAndRoot()
    {
        await using var h = await McpHarness.StartAsync();
        var imported = await h.CallOkAsync("contree_import_image", new { registry_url = "oci-archive:/base.tar", tag = "base" });
        var root = imported.GetProperty("result_image").GetString()!;
        h.Backend.RunHandler = request => new FakeRunOutcome { ExitCode = 0, WriteFiles = new Dictionary<string, string> { ["/" + request.Command] = "x" } };
        var level1 = (await h.CallOkAsync("contree_run", new { command = "one", image = "tag:base", disposable = false })).GetProperty("result_image").GetString()!;
        var level2 = (await h.CallOkAsync("contree_run", new { command = "two", image = level1, disposable = false })).GetProperty("result_image").GetString()!;

        var middle = await Tools.RunToolTests.ReadLineageAsync(h, level1);
        var leaf = await Tools.RunToolTests.ReadLineageAsync(h, level2);

        Assert.Equal(root, middle.GetProperty("parent").GetProperty("image").GetString());
        Assert.Equal(JsonValueKind.Null, middle.GetProperty("parent").GetProperty("command").ValueKind);
        var child = Assert.Single(middle.GetProperty("children").EnumerateArray());
        Assert.Equal(level2, child.GetProperty("image").GetString());
        Assert.Equal("two", child.GetProperty("command").GetString());
        Assert.Equal(0, child.GetProperty("exit_code").GetInt32());
        Assert.Equal([level1, root], leaf.GetProperty("ancestors").EnumerateArray().Select(a => a.GetProperty("image").GetString()));
        Assert.Equal(root, leaf.GetProperty("root").GetProperty("image").GetString());
        Assert.Equal("oci-archive:/base.tar", leaf.GetProperty("root").GetProperty("registry_url").GetString());
        Assert.True(leaf.GetProperty("root").GetProperty("is_import").GetBoolean());
        Assert.Equal(2, leaf.GetProperty("depth").GetInt32());
    }

    [Fact]
    public async Task Lineage_UnknownImage_IsNotKnown()
    {
        await using var h = await McpHarness.StartAsync();
        var image = Guid.NewGuid().ToString("D");

        var lineage = await Tools.RunToolTests.ReadLineageAsync(h, image);

        Assert.False(lineage.GetProperty("is_known").GetBoolean());
        Assert.Equal(JsonValueKind.Null, lineage.GetProperty("parent").ValueKind);
        Assert.Equal(JsonValueKind.Null, lineage.GetProperty("root").ValueKind);
        Assert.Equal(0, lineage.GetProperty("depth").GetInt32());
        Assert.Equal(0, lineage.GetProperty("children").GetArrayLength());
    }

    [Fact]
    public async Task InstanceOperation_Finished_ReturnsJson()
    {
        await using var h = await McpHarness.StartAsync();
        h.Backend.RunHandler = _ => new FakeRunOutcome { ExitCode = 2, Stdout = "out", Stderr = "err" };
        var id = await h.Backend.SpawnInstanceAsync(new InstanceMetadata { Command = "x", Image = h.Backend.AddImage(), Shell = true }, Ct);

        var contents = Assert.IsType<TextResourceContents>(await ReadAsync(h, $"contree://operations/instance/{id}"));

        Assert.Equal("application/json", contents.MimeType);
        var json = JsonDocument.Parse(contents.Text).RootElement;
        Assert.Equal("SUCCESS", json.GetProperty("state").GetString());
        Assert.Equal(2, json.GetProperty("exit_code").GetInt32());
        Assert.Equal("out", json.GetProperty("stdout").GetString());
        Assert.Equal("err", json.GetProperty("stderr").GetString());
        Assert.True(json.GetProperty("resources").TryGetProperty("elapsed_time", out _));
    }

    [Fact]
    public async Task ImportOperation_Finished_ReturnsLines()
    {
        await using var h = await McpHarness.StartAsync();
        var id = await h.Backend.ImportImageAsync(new ImportImageMetadata { Registry = new ImageRegistry { Url = "docker://localhost:5000/a:1" }, Tag = "a" }, Ct);

        var contents = Assert.IsType<TextResourceContents>(await ReadAsync(h, $"contree://operations/import/{id}"));

        var lines = contents.Text.Split('\n');
        Assert.Equal("STATE: SUCCESS", lines[0]);
        Assert.StartsWith("RESULT_IMAGE: ", lines[1], StringComparison.Ordinal);
        Assert.Equal("RESULT_TAG: a", lines[2]);
        Assert.Equal("REGISTRY_URL: docker://localhost:5000/a:1", lines[3]);
    }

    [Fact]
    public async Task InstanceOperation_OfAnImport_IsRejected()
    {
        await using var h = await McpHarness.StartAsync();
        var id = await h.Backend.ImportImageAsync(new ImportImageMetadata { Registry = new ImageRegistry { Url = "oci-archive:/a.tar" } }, Ct);

        var error = await Assert.ThrowsAnyAsync<McpException>(() => ReadAsync(h, $"contree://operations/instance/{id}"));

        Assert.Contains($"Operation {id} is not an instance operation (kind=image_import)", error.Message, StringComparison.Ordinal);
    }
}
