using Contree.Core.Errors;
using Contree.Mcp.Registry;

namespace Contree.Mcp.Tests.Registry;

public sealed class RegistryLocationTests
{
    [Theory]
    [InlineData("docker://docker.io/library/alpine:latest", "docker.io", "library/alpine")]
    [InlineData("docker://ghcr.io/org/image:tag", "ghcr.io", "org/image")]
    [InlineData("docker://registry.gitlab.com/org/image", "registry.gitlab.com", "org/image")]
    [InlineData("oci://ghcr.io/org/image:tag", "ghcr.io", "org/image")]
    [InlineData("oci://registry.gitlab.com/org/image", "registry.gitlab.com", "org/image")]
    [InlineData("alpine", "docker.io", "library/alpine")]
    [InlineData("library/alpine:latest", "docker.io", "library/alpine")]
    [InlineData("myorg/myimage:v1", "docker.io", "myorg/myimage")]
    [InlineData("docker://python:3.11-slim", "docker.io", "library/python")]
    [InlineData("ghcr.io/org/img", "ghcr.io", "org/img")]
    [InlineData("ghcr.io", "ghcr.io", null)]
    [InlineData("docker://ghcr.io/", "ghcr.io", null)]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000", null)]
    [InlineData("localhost:5000/team/app:1", "localhost:5000", "team/app")]
    [InlineData("index.docker.io", "docker.io", null)]
    public void Parse_Url_FindsRegistryAndRepository(string url, string registry, string? repository)
    {
        var location = RegistryLocation.Parse(url);

        Assert.Equal(registry, location.Registry);
        Assert.Equal(repository, location.Repository);
    }

    [Fact]
    public void ApiHost_DockerHub_IsRegistry1()
    {
        Assert.Equal("registry-1.docker.io", RegistryLocation.Parse("alpine").ApiHost);
        Assert.Equal("ghcr.io", RegistryLocation.Parse("ghcr.io").ApiHost);
    }

    [Theory]
    [InlineData("")]
    [InlineData("docker://UPPER/Case")]
    public void Parse_Invalid_ThrowsInvalidArgument(string url)
    {
        Assert.Equal(ContreeErrorKind.InvalidArgument, Assert.Throws<ContreeException>(() => RegistryLocation.Parse(url)).Kind);
    }

    [Fact]
    public void KnownRegistries_Table_HasPatPages()
    {
        Assert.Contains("docker", KnownRegistries.PatUrl("docker.io"));
        Assert.Contains("github", KnownRegistries.PatUrl("ghcr.io"));
        Assert.Contains("gitlab", KnownRegistries.PatUrl("registry.gitlab.com"));
        Assert.Contains("google", KnownRegistries.PatUrl("eu.gcr.io"));
        Assert.Null(KnownRegistries.PatUrl("unknown.example.com"));
        Assert.False(KnownRegistries.IsKnown("unknown.example.com"));
    }
}
