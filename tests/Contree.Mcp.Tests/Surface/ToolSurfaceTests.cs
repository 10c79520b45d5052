using System.Text.Json;
using System.Text.Json.Nodes;
using Contree.Core;
using Contree.Mcp.Tests.Harness;
using ModelContextProtocol;

namespace Contree.Mcp.Tests.Surface;

public sealed class ToolSurfaceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly string[] ExpectedTools =
    [
        "list_images", "registry_token_obtain", "registry_auth", "import_image", "get_image", "set_tag", "run", "rsync", "upload",
        "download", "get_operation", "list_operations", "wait_operations", "cancel_operation", "list_files", "read_file", "get_guide",
    ];

    [Fact]
    public async Task Surface_ToolsResourcesAndPrompts_MatchSnapshot()
    {
        await using var h = await McpHarness.StartAsync();
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions) { WriteIndented = true };

        var surface = new JsonObject
        {
            ["tools"] = new JsonArray([.. (await h.Client.ListToolsAsync(cancellationToken: Ct)).Select(t => JsonSerializer.SerializeToNode(t.ProtocolTool, options))]),
            ["resource_templates"] = new JsonArray([.. (await h.Client.ListResourceTemplatesAsync(cancellationToken: Ct)).Select(t => JsonSerializer.SerializeToNode(t.ProtocolResourceTemplate, options))]),
            ["resources"] = new JsonArray([.. (await h.Client.ListResourcesAsync(cancellationToken: Ct)).Select(r => JsonSerializer.SerializeToNode(r.ProtocolResource, options))]),
            ["prompts"] = new JsonArray([.. (await h.Client.ListPromptsAsync(cancellationToken: Ct)).Select(p => JsonSerializer.SerializeToNode(p.ProtocolPrompt, options))]),
        };

        Approval.Verify("ToolSurface", surface.ToJsonString(options));
    }

    [Fact]
    public async Task ListTools_DefaultPrefix_AllToolsPrefixedInSpecOrder()
    {
        await using var h = await McpHarness.StartAsync();

        var names = (await h.Client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();

        Assert.Equal(ExpectedTools.Select(n => "contree_" + n), names);
    }

    [Fact]
    public async Task ListTools_EmptyPrefix_UsesUnprefixedNames()
    {
        await using var h = await McpHarness.StartAsync(o => o.ToolPrefix = "");

        var names = (await h.Client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();
        var result = await h.CallOkAsync("list_images");

        Assert.Equal(ExpectedTools, names);
        Assert.Equal(0, result.GetProperty("images").GetArrayLength());
        var run = (await h.Client.ListToolsAsync(cancellationToken: Ct)).Single(t => t.Name == "run");
        Assert.DoesNotContain("contree_", run.Description, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(BackendFlavor.Local, "bubblewrap sandbox on this machine in milliseconds")]
    [InlineData(BackendFlavor.Cloud, "starts a microVM")]
    public async Task RunDescription_Flavor_StatesTheCost(BackendFlavor flavor, string expected)
    {
        await using var h = await McpHarness.StartAsync(o => o.Flavor = flavor);

        var run = (await h.Client.ListToolsAsync(cancellationToken: Ct)).Single(t => t.Name == "contree_run");

        Assert.Contains(expected, run.Description, StringComparison.Ordinal);
        Assert.Contains("contree://guide/async", run.Description, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListTools_Annotations_AreTruthful()
    {
        await using var h = await McpHarness.StartAsync();
        var tools = (await h.Client.ListToolsAsync(cancellationToken: Ct)).ToDictionary(t => t.Name, t => t.ProtocolTool);

        foreach (var name in new[] { "list_images", "get_image", "get_operation", "list_operations", "list_files", "read_file" })
        {
            Assert.True(tools["contree_" + name].Annotations?.ReadOnlyHint, name);
        }

        Assert.False(tools["contree_run"].Annotations?.ReadOnlyHint);
        Assert.True(tools["contree_cancel_operation"].Annotations?.DestructiveHint);
        Assert.True(tools["contree_import_image"].Annotations?.OpenWorldHint);
        Assert.False(tools["contree_run"].Annotations?.OpenWorldHint);
        Assert.NotNull(tools["contree_run"].OutputSchema);
    }

    [Fact]
    public async Task ListTools_EveryParameter_HasADescription()
    {
        await using var h = await McpHarness.StartAsync();

        foreach (var tool in await h.Client.ListToolsAsync(cancellationToken: Ct))
        {
            foreach (var property in tool.JsonSchema.GetProperty("properties").EnumerateObject())
            {
                Assert.True(property.Value.TryGetProperty("description", out _), $"{tool.Name}.{property.Name} has no description");
            }
        }
    }

    [Fact]
    public async Task ListResourceTemplates_NamesAndMimeTypes_MatchTheReadme()
    {
        await using var h = await McpHarness.StartAsync();

        var templates = (await h.Client.ListResourceTemplatesAsync(cancellationToken: Ct)).ToDictionary(t => t.Name, t => t.ProtocolResourceTemplate);

        Assert.Equal("contree://image/{image}/read/{+path}", templates["contree_image_read"].UriTemplate);
        Assert.Equal("contree://image/{image}/ls/{+path}", templates["contree_image_ls"].UriTemplate);
        Assert.Equal("application/json", templates["contree_image_lineage"].MimeType);
        Assert.Equal("application/json", templates["contree_instance_operation"].MimeType);
        Assert.Equal("text/plain", templates["contree_import_operation"].MimeType);
        Assert.Contains("contree_guide", templates.Keys);
    }
}
