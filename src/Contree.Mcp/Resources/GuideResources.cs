using System.ComponentModel;
using Contree.Mcp.Guides;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Resources;

/// <summary>
/// The guide sections as resources: seven static resources <c>contree://guide/&lt;section&gt;</c> and the
/// template <c>contree://guide/{section}</c> (which the original lacked, although its README advertised it).
/// </summary>
[McpServerResourceType]
internal sealed class GuideResources(IOptions<ContreeMcpOptions> options)
{
    private const string Markdown = "text/markdown";

    [McpServerResource(UriTemplate = "contree://guide/{section}", Name = "contree_guide", Title = "Contree Guide", MimeType = Markdown)]
    [Description("A section of the Contree usage guide as markdown: workflow, reference, quickstart, state, async, tagging or errors.")]
    public string Guide([Description("Guide section: workflow, reference, quickstart, state, async, tagging or errors.")] string section) =>
        Render(section);

    [McpServerResource(UriTemplate = "contree://guide/workflow", Name = "workflow", Title = "Contree Guide: Workflow", MimeType = Markdown)]
    [Description("Guide section on workflow")]
    public string Workflow() => Render("workflow");

    [McpServerResource(UriTemplate = "contree://guide/reference", Name = "reference", Title = "Contree Guide: Reference", MimeType = Markdown)]
    [Description("Guide section on reference")]
    public string Reference() => Render("reference");

    [McpServerResource(UriTemplate = "contree://guide/quickstart", Name = "quickstart", Title = "Contree Guide: Quickstart", MimeType = Markdown)]
    [Description("Guide section on quickstart")]
    public string Quickstart() => Render("quickstart");

    [McpServerResource(UriTemplate = "contree://guide/state", Name = "state", Title = "Contree Guide: State", MimeType = Markdown)]
    [Description("Guide section on state")]
    public string State() => Render("state");

    [McpServerResource(UriTemplate = "contree://guide/async", Name = "async", Title = "Contree Guide: Async", MimeType = Markdown)]
    [Description("Guide section on async")]
    public string Async() => Render("async");

    [McpServerResource(UriTemplate = "contree://guide/tagging", Name = "tagging", Title = "Contree Guide: Tagging", MimeType = Markdown)]
    [Description("Guide section on tagging")]
    public string Tagging() => Render("tagging");

    [McpServerResource(UriTemplate = "contree://guide/errors", Name = "errors", Title = "Contree Guide: Errors", MimeType = Markdown)]
    [Description("Guide section on errors")]
    public string Errors() => Render("errors");

    private string Render(string section) => GuideCatalog.Render(section, options.Value.Flavor, options.Value.ToolPrefix);
}
