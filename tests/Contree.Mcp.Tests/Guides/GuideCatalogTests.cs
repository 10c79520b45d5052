using Contree.Core;
using Contree.Core.Errors;
using Contree.Mcp.Guides;

namespace Contree.Mcp.Tests.Guides;

public sealed class GuideCatalogTests
{
    public static TheoryData<string, string> Titles => new()
    {
        { "workflow", "# Contree Workflow Guide" },
        { "reference", "# Contree Tools Reference" },
        { "quickstart", "Quickstart" },
        { "state", "State Management" },
        { "async", "Async" },
        { "tagging", "Tagging Convention" },
        { "errors", "Error Handling" },
    };

    public static TheoryData<string, BackendFlavor> SectionsAndFlavors()
    {
        var data = new TheoryData<string, BackendFlavor>();
        foreach (var section in GuideCatalog.SectionNames)
        {
            data.Add(section, BackendFlavor.Local);
            data.Add(section, BackendFlavor.Cloud);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(Titles))]
    public void Render_Section_FirstHeadingContainsTitle(string section, string title)
    {
        var text = GuideCatalog.Render(section, BackendFlavor.Local, "contree_");

        var heading = text.Split('\n')[0];
        Assert.StartsWith("# ", heading);
        Assert.Contains(title.TrimStart('#', ' '), heading);
    }

    [Fact]
    public void SectionNames_Order_MatchesSpec()
    {
        Assert.Equal(["workflow", "reference", "quickstart", "state", "async", "tagging", "errors"], GuideCatalog.SectionNames);
        Assert.Equal(["async", "errors", "quickstart", "reference", "state", "tagging", "workflow"], GuideCatalog.SortedSectionNames);
    }

    [Theory]
    [MemberData(nameof(SectionsAndFlavors))]
    public void Render_AnySectionAndFlavor_LeavesNoPlaceholder(string section, BackendFlavor flavor)
    {
        var text = GuideCatalog.Render(section, flavor, "contree_");

        Assert.DoesNotContain("{{", text);
        Assert.DoesNotMatch(@"\{\{?\w+:\w+\}\}", text);
    }

    [Fact]
    public void Render_WithPrefix_NamesToolsWithPrefix()
    {
        var prefixed = GuideCatalog.Render("reference", BackendFlavor.Local, "contree_");
        var plain = GuideCatalog.Render("reference", BackendFlavor.Local, "");

        Assert.Contains("`contree_run`", prefixed);
        Assert.Contains("`contree_wait_operations`", prefixed);
        Assert.DoesNotContain("`run`", prefixed);
        Assert.Contains("`run`", plain);
        Assert.DoesNotContain("contree_run", plain);
    }

    [Fact]
    public void Render_LocalFlavor_DescribesBubblewrapCosts()
    {
        var text = GuideCatalog.Render("workflow", BackendFlavor.Local, "");

        Assert.Contains("milliseconds", text);
        Assert.Contains("bubblewrap", text);
        Assert.Contains("local store", text);
        Assert.DoesNotContain("microVM", text);
    }

    [Fact]
    public void Render_CloudFlavor_DescribesMicroVmCosts()
    {
        var text = GuideCatalog.Render("workflow", BackendFlavor.Cloud, "");

        Assert.Contains("microVM", text);
        Assert.DoesNotContain("bubblewrap", text);
    }

    [Fact]
    public void Render_UnknownSection_ThrowsWithSortedSectionList()
    {
        var ex = Assert.Throws<ContreeException>(() => GuideCatalog.Render("nope", BackendFlavor.Local, ""));

        Assert.Equal(ContreeErrorKind.InvalidArgument, ex.Kind);
        Assert.Equal("Unknown guide section 'nope'. Available sections: async, errors, quickstart, reference, state, tagging, workflow", ex.Message);
    }

    [Fact]
    public void Render_AllSections_ShowRealResultShapesNotTheOriginalDrift()
    {
        var all = string.Concat(GuideCatalog.SectionNames.Select(s => GuideCatalog.Render(s, BackendFlavor.Local, "")));

        // No string directory ids (ds_…), no [TRUNCATED] marker, no lower-case states, no 'kind'
        // parameter, no 'pending' list, no globs for rsync, no 600 s maximum or expiring states.
        Assert.DoesNotMatch(@"\bds_", all);
        Assert.DoesNotContain("[TRUNCATED]", all);
        Assert.DoesNotContain("`running`", all);
        Assert.DoesNotContain("\"kind\":", all);
        Assert.DoesNotContain("\"pending\"", all);
        Assert.DoesNotContain("600", all);
        Assert.DoesNotContain("expire", all);
        Assert.Contains("\"directory_state_id\": 7", all);
        Assert.Contains("stdout_truncated", all);
        Assert.Contains("EXECUTING", all);
        Assert.Contains("`type`", all);
        Assert.Contains("\"cancelled\"", all);
        Assert.Contains("docker://python:3.11-slim", all);
        foreach (var field in (string[])["operation_id", "exit_code", "timed_out", "result_image", "filesystem_changed", "duration_s", "resources"])
        {
            Assert.Contains(field, all);
        }
    }
}
