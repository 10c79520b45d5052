using System.Text.Json;
using Contree.Server.IndexPage;

namespace Contree.Server.Tests.IndexPage;

public sealed class IndexPageRendererTests
{
    private static JsonElement Json(string json) => JsonDocument.Parse(json).RootElement.Clone();

    private static IndexPageModel Model(bool requiresToken = false) => new()
    {
        Instructions = "# MANDATORY WORKFLOW\nUse `<code>` & more\n## Guides",
        Tools =
        [
            new IndexTool("contree_run", "Run a command.\nSecond line.\n\nDetails hidden.",
                Json("""{"type":"object","properties":{"command":{"type":"string"},"timeout":{"type":["integer","null"]}},"required":["command"]}""")),
            new IndexTool("contree_list_images", "List images.", Json("""{"type":"object"}""")),
        ],
        Resources =
        [
            new IndexResource("contree_image_file", "contree://image/{image}/read/{+path}", "Read a file.", IsTemplate: true),
            new IndexResource("guide_quickstart", "contree://guide/quickstart", "Quickstart guide.", IsTemplate: false),
        ],
        Prompts = [new IndexPrompt("run-python", "Run Python code.", [new IndexPromptArgument("code", true)])],
        Guides = [new IndexGuide("quickstart", "contree://guide/quickstart", "## Start\n- step `one`")],
        Port = 9999,
        RequiresToken = requiresToken,
        Version = "1.0.0",
    };

    [Fact]
    public void Render_FullModel_HasEverySectionAndItem()
    {
        var html = IndexPageRenderer.Render(Model());

        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("<title>Contree MCP Server</title>", html, StringComparison.Ordinal);
        foreach (var id in new[] { "setup", "instructions", "tools", "resources", "prompts", "guides" })
        {
            Assert.Contains($"<section id=\"{id}\">", html, StringComparison.Ordinal);
        }

        Assert.Contains("<h1>MANDATORY WORKFLOW</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<code>&lt;code&gt;</code> &amp; more", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"tool-name\">contree_run</td>", html, StringComparison.Ordinal);
        Assert.Contains("<div class=\"tool-desc\">Run a command. Second line.</div>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Details hidden", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"param-name\">command</span><span class=\"param-required\">*</span>: string", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"param-name\">timeout</span>: integer", html, StringComparison.Ordinal);
        Assert.Contains("<code class=\"uri-template\">contree://image/{image}/read/{+path}</code>", html, StringComparison.Ordinal);
        Assert.Contains("<td class=\"resource-name\">guide_quickstart</td>", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"guide-title\">contree://guide/quickstart</span>", html, StringComparison.Ordinal);
        Assert.Contains("<li>step <code>one</code></li>", html, StringComparison.Ordinal);
        Assert.Contains("run-python", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_Setup_UsesThisProductsCommandAndPort()
    {
        var html = IndexPageRenderer.Render(Model());

        Assert.Contains("contree-mcp --mode http --http-port 9999", html, StringComparison.Ordinal);
        Assert.Contains("claude mcp add --transport http contree http://localhost:9999/mcp", html, StringComparison.Ordinal);
        Assert.Contains("claude mcp add --transport stdio contree -- dotnet dnx contree-mcp --yes", html, StringComparison.Ordinal);
        Assert.Contains("codex mcp add contree -- dotnet dnx contree-mcp --yes", html, StringComparison.Ordinal);
        Assert.Contains("{&quot;command&quot;: &quot;dotnet&quot;, &quot;args&quot;: [&quot;dnx&quot;, &quot;contree-mcp&quot;, &quot;--yes&quot;]}", html, StringComparison.Ordinal);
        Assert.Contains("dotnet tool install -g contree-mcp", html, StringComparison.Ordinal);
        Assert.Contains("Claude Desktop", html, StringComparison.Ordinal);
        Assert.Contains("OpenCode", html, StringComparison.Ordinal);
        Assert.DoesNotContain("uvx", html, StringComparison.Ordinal);
        Assert.DoesNotContain("Authorization", html, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_TokenRequired_ShowsHeaderPlaceholderOnly()
    {
        var html = IndexPageRenderer.Render(Model(requiresToken: true));

        Assert.Contains("Authorization: Bearer", html, StringComparison.Ordinal);
        Assert.Contains("&lt;http token&gt;", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":"string"}""", "string")]
    [InlineData("""{"anyOf":[{"type":"string"},{"type":"null"}]}""", "string")]
    [InlineData("""{"anyOf":[{"$ref":"#/$defs/MyType"},{"type":"null"}]}""", "MyType")]
    [InlineData("""{"anyOf":[{"type":"null"}]}""", "any")]
    [InlineData("""{"$ref":"#/definitions/MyType"}""", "MyType")]
    [InlineData("""{"enum":["a","b","c"]}""", "\"a\" | \"b\" | \"c\"")]
    [InlineData("""{"type":"array","items":{"type":"string"}}""", "array[string]")]
    [InlineData("""{"type":"object"}""", "object")]
    [InlineData("""{"type":["boolean","null"]}""", "boolean")]
    [InlineData("""{}""", "any")]
    public void ParamType_Schema_ReturnsTypeText(string schema, string expected)
    {
        Assert.Equal(expected, IndexPageRenderer.ParamType(Json(schema)));
    }

    [Theory]
    [InlineData("Single line", "Single line")]
    [InlineData("\n\nFirst line\n  Second line  \n\nThird", "First line Second line")]
    [InlineData("", "")]
    [InlineData(null, "")]
    [InlineData("\n  \n", "")]
    public void FirstParagraph_Text_JoinsLinesUntilBlank(string? text, string expected)
    {
        Assert.Equal(expected, IndexPageRenderer.FirstParagraph(text));
    }

    [Theory]
    [InlineData("""{"type":"object","properties":{}}""")]
    [InlineData("""{"type":"object"}""")]
    public void RenderToolParams_NoProperties_ReturnsEmpty(string schema)
    {
        Assert.Equal("", IndexPageRenderer.RenderToolParams(Json(schema)));
    }
}
