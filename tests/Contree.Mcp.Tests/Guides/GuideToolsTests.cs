using Contree.Core;
using Contree.Core.Errors;
using Contree.Mcp.Guides;
using Contree.Mcp.Resources;
using Contree.Mcp.Tools;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Tests.Guides;

public sealed class GuideToolsTests
{
    private static readonly IOptions<ContreeMcpOptions> Options =
        Microsoft.Extensions.Options.Options.Create(new ContreeMcpOptions { ToolPrefix = "contree_", Flavor = BackendFlavor.Cloud });

    [Fact]
    public void GetGuide_KnownSection_ReturnsContentAndSortedSections()
    {
        var result = new GuideTools(Options).GetGuide("workflow");

        Assert.Equal("workflow", result.Section);
        Assert.Contains("Contree Workflow Guide", result.Content);
        Assert.Contains("contree_list_images", result.Content);
        Assert.Contains("microVM", result.Content);
        Assert.Equal(["async", "errors", "quickstart", "reference", "state", "tagging", "workflow"], result.AvailableSections);
    }

    [Fact]
    public void GetGuide_UnknownSection_ThrowsSpecMessage()
    {
        var ex = Assert.Throws<ContreeException>(() => new GuideTools(Options).GetGuide("missing"));

        Assert.StartsWith("Unknown guide section 'missing'.", ex.Message);
        Assert.Contains("Available sections:", ex.Message);
    }

    [Fact]
    public void GuideResources_StaticAndTemplate_ServeTheSameText()
    {
        var resources = new GuideResources(Options);

        Assert.Equal(GuideCatalog.Render("workflow", BackendFlavor.Cloud, "contree_"), resources.Workflow());
        Assert.Equal(resources.Errors(), resources.Guide("errors"));
        Assert.Equal(resources.Async(), resources.Guide("async"));
        Assert.Throws<ContreeException>(() => resources.Guide("bogus"));
    }

    [Fact]
    public void GuideResources_Attributes_NameAndTitleEverySection()
    {
        var attributes = typeof(GuideResources).GetMethods()
            .Select(m => m.GetCustomAttributes(typeof(ModelContextProtocol.Server.McpServerResourceAttribute), false).Cast<ModelContextProtocol.Server.McpServerResourceAttribute>().SingleOrDefault())
            .Where(a => a is not null)
            .ToDictionary(a => a!.UriTemplate!, a => a!);

        Assert.Equal("contree_guide", attributes["contree://guide/{section}"].Name);
        foreach (var section in GuideCatalog.SectionNames)
        {
            var attribute = attributes[$"contree://guide/{section}"];
            Assert.Equal(section, attribute.Name);
            Assert.Equal(GuideCatalog.ResourceTitle(section), attribute.Title);
            Assert.Equal("text/markdown", attribute.MimeType);
        }
    }
}
