using Contree.Core.Errors;
using Contree.Engine.Registry;

namespace Contree.Engine.Tests.Registry;

public sealed class ImageSourceTests
{
    [Theory]
    [InlineData("docker://alpine:3.20", "docker://docker.io/library/alpine:3.20")]
    [InlineData("alpine", "docker://docker.io/library/alpine:latest")]
    [InlineData("oci://ghcr.io/org/app:1", "docker://ghcr.io/org/app:1")]
    public void Parse_RegistryReference_Canonical(string url, string expected)
    {
        var source = ImageSource.Parse(url);

        Assert.Equal(ImageSourceKind.Registry, source.Kind);
        Assert.Equal(expected, source.Canonical);
    }

    [Fact]
    public void Parse_LocalPathWithColonAndTag_SplitsAfterExistingPrefix()
    {
        var directory = Directory.CreateTempSubdirectory("contree-src:colon-").FullName;
        try
        {
            var source = ImageSource.Parse($"oci:{directory}:v1");

            Assert.Equal(ImageSourceKind.OciLayout, source.Kind);
            Assert.Equal(directory, source.Path);
            Assert.Equal("v1", source.Selector);
        }
        finally
        {
            Directory.Delete(directory);
        }
    }

    [Fact]
    public void Parse_EmptySelector_InvalidArgument()
    {
        var file = Path.GetTempFileName();
        try
        {
            var error = Assert.Throws<ContreeException>(() => ImageSource.Parse($"docker-archive:{file}:"));

            Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
