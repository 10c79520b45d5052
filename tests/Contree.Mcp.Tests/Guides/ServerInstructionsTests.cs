using Contree.Core;
using Contree.Mcp.Guides;

namespace Contree.Mcp.Tests.Guides;

public sealed class ServerInstructionsTests
{
    [Theory]
    [InlineData(BackendFlavor.Local)]
    [InlineData(BackendFlavor.Cloud)]
    public void Render_AnyFlavor_ContainsRequiredSections(BackendFlavor flavor)
    {
        var text = ServerInstructions.Render(flavor, "contree_");

        Assert.Contains("MANDATORY WORKFLOW", text);
        Assert.Contains("Guides", text);
        Assert.DoesNotContain("{{", text);
        foreach (var section in GuideCatalog.SectionNames)
        {
            Assert.Contains($"contree://guide/{section}", text);
            Assert.Contains($"contree_get_guide(section=\"{section}\")", text);
        }
    }

    [Fact]
    public void Render_Prefix_AppliedToToolNames()
    {
        Assert.Contains("contree_list_images(tag_prefix=\"common/\")", ServerInstructions.Render(BackendFlavor.Local, "contree_"));
        var plain = ServerInstructions.Render(BackendFlavor.Local, "");
        Assert.Contains("list_images(tag_prefix=\"common/\")", plain);
        Assert.DoesNotContain("contree_", plain);
    }

    [Fact]
    public void Render_Flavor_CostTableMatchesBackend()
    {
        var local = ServerInstructions.Render(BackendFlavor.Local, "");
        var cloud = ServerInstructions.Render(BackendFlavor.Cloud, "");

        Assert.Contains("| `run` | sandbox (milliseconds) |", local);
        Assert.Contains("| `run` | microVM (seconds) |", cloud);
        Assert.DoesNotContain("microVM", local);
    }
}
