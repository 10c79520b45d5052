using System.ComponentModel;
using Contree.Mcp.Guides;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Tools;

/// <summary>The <c>get_guide</c> tool (docs/tools.md): the guide sections for agents without resource support.</summary>
[McpServerToolType]
internal sealed class GuideTools(IOptions<ContreeMcpOptions> options)
{
    [McpServerTool(Name = "get_guide", Title = "Read a Contree guide", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Returns a section of the Contree usage guide as markdown. Free (no sandbox, no backend call).

        Sections:
        - workflow: decision tree, complete example, anti-patterns
        - reference: every tool's parameters and result shapes
        - quickstart: first commands, file sync, dependency chains, imports
        - state: immutable images, disposable runs, rollback and branching
        - async: wait=false, operation states, wait_operations
        - tagging: the {scope}/{purpose}/{base}:{tag} convention
        - errors: tool errors versus command failures, timeouts, truncation

        The same text is the resource contree://guide/{section} for agents that read resources.
        """)]
    public GuideResult GetGuide(
        [Description("Guide section: workflow, reference, quickstart, state, async, tagging or errors.")] string section)
    {
        var content = GuideCatalog.Render(section, options.Value.Flavor, options.Value.ToolPrefix);
        return new GuideResult(section, content, GuideCatalog.SortedSectionNames);
    }
}
