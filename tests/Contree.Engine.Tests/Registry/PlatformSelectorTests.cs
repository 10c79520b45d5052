using Contree.Core.Errors;
using Contree.Engine.Registry;

namespace Contree.Engine.Tests.Registry;

public sealed class PlatformSelectorTests
{
    private static OciDescriptor Entry(string digit, string os, string arch, string? variant) =>
        new() { Digest = "sha256:" + new string(digit[0], 64), Platform = new OciPlatform { Os = os, Architecture = arch, Variant = variant } };

    [Fact]
    public void Select_ArmVariants_PrefersExactThenUnversioned()
    {
        var selector = PlatformSelector.Create("linux/arm/v7");
        OciDescriptor[] entries = [Entry("1", "linux", "arm", "v6"), Entry("2", "linux", "arm", null), Entry("3", "linux", "arm", "v7")];

        Assert.Equal(entries[2], selector.Select(entries));
        Assert.Equal(entries[1], selector.Select(entries[..2]));
    }

    [Fact]
    public void Select_NoMatchingOsOrArchitecture_Null()
    {
        var selector = PlatformSelector.Create("linux/amd64");

        Assert.Null(selector.Select([Entry("1", "windows", "amd64", null), Entry("2", "linux", "arm64", null), new OciDescriptor { Digest = "sha256:" + new string('3', 64) }]));
    }

    [Theory]
    [InlineData("linux")]
    [InlineData("linux//v8")]
    [InlineData("a/b/c/d")]
    public void Create_MalformedPlatform_InvalidArgument(string platform) =>
        Assert.Equal(ContreeErrorKind.InvalidArgument, Assert.Throws<ContreeException>(() => PlatformSelector.Create(platform)).Kind);
}
