using System.Text;
using System.Text.Json;
using static Contree.Server.IndexPage.MarkdownRenderer;

namespace Contree.Server.IndexPage;

/// <summary>
/// Renders the HTML index page served at <c>GET /</c> in HTTP mode (docs/http.md): setup snippets,
/// server instructions, tools, resources (templates and static), prompts and guides. All dynamic text is escaped.
/// </summary>
internal static partial class IndexPageRenderer
{
    public static string Render(IndexPageModel model)
    {
        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>Contree MCP Server</title>\n<style>\n").Append(Css).Append("</style>\n</head>\n<body>\n")
            .Append("<header><h1>Contree MCP Server</h1><p class=\"tagline\">Container execution for AI agents</p>")
            .Append("<p class=\"meta\">version ").Append(Escape(model.Version)).Append(" &middot; backend ")
            .Append(Escape(model.Backend)).Append("</p></header>\n")
            .Append("<nav><a href=\"#setup\">Setup</a><a href=\"#instructions\">Instructions</a><a href=\"#tools\">Tools</a>")
            .Append("<a href=\"#resources\">Resources</a><a href=\"#prompts\">Prompts</a><a href=\"#guides\">Guides</a></nav>\n<main>\n");
        AppendSetup(html, model);
        html.Append("<section id=\"instructions\"><h2>Server Instructions</h2><div class=\"guide-content open\">\n")
            .Append(ToHtml(model.Instructions)).Append("\n</div></section>\n");
        AppendTools(html, model.Tools);
        AppendResources(html, model.Resources);
        AppendPrompts(html, model.Prompts);
        AppendGuides(html, model.Guides);
        html.Append("</main>\n<footer>Contree MCP Server &mdash; Container execution for AI agents</footer>\n<script>\n")
            .Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    /// <summary>First paragraph of a description: leading blank lines skipped, lines up to the next blank line joined by spaces.</summary>
    public static string FirstParagraph(string? text)
    {
        var lines = new List<string>();
        foreach (var raw in (text ?? "").Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0)
            {
                if (lines.Count > 0)
                {
                    break;
                }

                continue;
            }

            lines.Add(line);
        }

        return string.Join(' ', lines);
    }

    /// <summary>The type text of a JSON-schema property (A.1 helper rules).</summary>
    public static string ParamType(JsonElement property)
    {
        if (property.ValueKind != JsonValueKind.Object)
        {
            return "any";
        }

        if (property.TryGetProperty("anyOf", out var anyOf) && anyOf.ValueKind == JsonValueKind.Array)
        {
            var members = anyOf.EnumerateArray()
                .Where(m => !(m.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String && t.GetString() == "null"))
                .Select(m => m.TryGetProperty("$ref", out var r) ? LastSegment(r.GetString()) : TypeName(m))
                .ToList();
            return members.Count == 0 ? "any" : string.Join(" | ", members);
        }

        if (property.TryGetProperty("$ref", out var reference))
        {
            return LastSegment(reference.GetString());
        }

        if (property.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
        {
            return string.Join(" | ", values.EnumerateArray().Select(v => "\"" + (v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText()) + "\""));
        }

        var type = TypeName(property);
        if (type == "array")
        {
            return "array[" + (property.TryGetProperty("items", out var items) ? ParamType(items) : "any") + "]";
        }

        return type;
    }

    /// <summary>The parameter list of a tool: names, a required marker and types; empty when there are none.</summary>
    public static string RenderToolParams(JsonElement inputSchema)
    {
        if (inputSchema.ValueKind != JsonValueKind.Object
            || !inputSchema.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object
            || !properties.EnumerateObject().Any())
        {
            return "";
        }

        var required = inputSchema.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.Array
            ? r.EnumerateArray().Select(e => e.GetString()).ToHashSet()
            : [];
        var parts = properties.EnumerateObject().Select(p =>
            "<span class=\"param-name\">" + Escape(p.Name) + "</span>"
            + (required.Contains(p.Name) ? "<span class=\"param-required\">*</span>" : "")
            + ": " + Escape(ParamType(p.Value)));
        return "<div class=\"tool-params\">" + string.Join(", ", parts) + "</div>";
    }

    private static string TypeName(JsonElement schema)
    {
        if (!schema.TryGetProperty("type", out var type))
        {
            return "any";
        }

        if (type.ValueKind == JsonValueKind.String)
        {
            return type.GetString() ?? "any";
        }

        // The C# SDK writes nullable types as ["string", "null"].
        if (type.ValueKind == JsonValueKind.Array)
        {
            var names = type.EnumerateArray().Select(t => t.GetString()).Where(t => t is not null and not "null").ToList();
            return names.Count == 0 ? "any" : string.Join(" | ", names);
        }

        return "any";
    }

    private static string LastSegment(string? reference) => (reference ?? "any").Split('/')[^1];

    private static void AppendTools(StringBuilder html, IReadOnlyList<IndexTool> tools)
    {
        html.Append("<section id=\"tools\"><h2>Tools Reference</h2>\n<table class=\"ref\"><thead><tr><th>Tool</th><th>Description &amp; Parameters</th></tr></thead><tbody>\n");
        foreach (var tool in tools.OrderBy(t => t.Name, StringComparer.Ordinal))
        {
            html.Append("<tr><td class=\"tool-name\">").Append(Escape(tool.Name)).Append("</td><td><div class=\"tool-desc\">")
                .Append(Escape(FirstParagraph(tool.Description))).Append("</div>").Append(RenderToolParams(tool.InputSchema)).Append("</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void AppendResources(StringBuilder html, IReadOnlyList<IndexResource> resources)
    {
        html.Append("<section id=\"resources\"><h2>Resources Reference</h2>\n<table class=\"ref\"><thead><tr><th>Resource</th><th>URI Template</th><th>Description</th></tr></thead><tbody>\n");
        foreach (var resource in resources.OrderBy(r => !r.IsTemplate).ThenBy(r => r.Name, StringComparer.Ordinal))
        {
            html.Append("<tr><td class=\"resource-name\">").Append(Escape(resource.Name)).Append("</td><td><code class=\"uri-template\">")
                .Append(Escape(resource.Uri)).Append("</code></td><td>").Append(Escape(FirstParagraph(resource.Description))).Append("</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void AppendPrompts(StringBuilder html, IReadOnlyList<IndexPrompt> prompts)
    {
        html.Append("<section id=\"prompts\"><h2>Prompts</h2>\n<table class=\"ref\"><thead><tr><th>Prompt</th><th>Description &amp; Arguments</th></tr></thead><tbody>\n");
        foreach (var prompt in prompts.OrderBy(p => p.Name, StringComparer.Ordinal))
        {
            html.Append("<tr><td class=\"prompt-name\">").Append(Escape(prompt.Name)).Append("</td><td><div class=\"tool-desc\">")
                .Append(Escape(FirstParagraph(prompt.Description))).Append("</div>");
            if (prompt.Arguments.Count > 0)
            {
                html.Append("<div class=\"tool-params\">").AppendJoin(", ", prompt.Arguments.Select(a =>
                    "<span class=\"param-name\">" + Escape(a.Name) + "</span>" + (a.Required ? "<span class=\"param-required\">*</span>" : ""))).Append("</div>");
            }

            html.Append("</td></tr>\n");
        }

        html.Append("</tbody></table></section>\n");
    }

    private static void AppendGuides(StringBuilder html, IReadOnlyList<IndexGuide> guides)
    {
        html.Append("<section id=\"guides\"><h2>Guides</h2>\n");
        foreach (var guide in guides.OrderBy(g => g.Name, StringComparer.Ordinal))
        {
            html.Append("<div class=\"guide\"><div class=\"guide-header\"><span class=\"guide-title\">").Append(Escape(guide.Uri))
                .Append("</span><span class=\"toggle\">&#9662;</span></div><div class=\"guide-content\">\n")
                .Append(ToHtml(guide.Markdown)).Append("\n</div></div>\n");
        }

        html.Append("</section>\n");
    }
}
