using Contree.Core.References;

namespace Contree.Core.Tests.References;

public sealed class OciReferenceTests
{
    [Theory]
    [InlineData("docker://python:3.11-slim", "docker.io", "library/python", "3.11-slim")]
    [InlineData("docker://alpine:latest", "docker.io", "library/alpine", "latest")]
    [InlineData("alpine", "docker.io", "library/alpine", "latest")]
    [InlineData("myorg/myimage:v1", "docker.io", "myorg/myimage", "v1")]
    [InlineData("docker://docker.io/library/alpine:latest", "docker.io", "library/alpine", "latest")]
    [InlineData("docker://ghcr.io/org/image:tag", "ghcr.io", "org/image", "tag")]
    [InlineData("oci://registry.gitlab.com/org/image", "registry.gitlab.com", "org/image", "latest")]
    [InlineData("ghcr.io/org/img", "ghcr.io", "org/img", "latest")]
    [InlineData("localhost/app:1", "localhost", "app", "1")]
    [InlineData("docker://127.0.0.1:5000/test/busybox:1", "127.0.0.1:5000", "test/busybox", "1")]
    [InlineData("docker://[::1]:5000/test/busybox:1", "[::1]:5000", "test/busybox", "1")]
    public void TryParse_ValidReference_SplitsRegistryRepositoryAndTag(string text, string registry, string repository, string tag)
    {
        Assert.True(OciReference.TryParse(text, out var reference, out var error), error);
        Assert.Equal(registry, reference.Registry);
        Assert.Equal(repository, reference.Repository);
        Assert.Equal(tag, reference.Tag);
    }

    [Fact]
    public void TryParse_Digest_KeepsDigestAsManifestReference()
    {
        var digest = "sha256:" + new string('a', 64);
        Assert.True(OciReference.TryParse($"docker://busybox@{digest}", out var reference, out _));
        Assert.Null(reference.Tag);
        Assert.Equal(digest, reference.ManifestReference);
    }

    [Theory]
    [InlineData("")]
    [InlineData("docker://")]
    [InlineData("docker://UPPER/Case")]
    [InlineData("docker://alpine:bad tag")]
    [InlineData("docker://alpine@sha256:xyz")]
    [InlineData("file:/etc/shadow")]
    [InlineData("localhost:abc/x")]
    [InlineData("localhost:99999/x")]
    [InlineData("docker://my_host.example/x")]
    public void TryParse_Invalid_ReturnsErrorNamingInput(string text)
    {
        Assert.False(OciReference.TryParse(text, out _, out var error));
        Assert.Contains("Invalid image reference", error);
    }

    [Fact]
    public void TryParse_NameOver255Characters_IsRefusedWithoutRepeatingIt()
    {
        Assert.False(OciReference.TryParse("docker://localhost/" + new string('a', 64 * 1024), out _, out var error));
        Assert.Contains("longer than 255 characters", error);
        Assert.True(error.Length < 300, error);
    }

    [Theory]
    [InlineData("docker.io", "registry-1.docker.io", "https")]
    [InlineData("127.0.0.1:5000", "127.0.0.1:5000", "http")]
    [InlineData("localhost:5000", "localhost:5000", "http")]
    public void ApiBaseUri_LoopbackUsesPlainHttp(string registry, string host, string scheme)
    {
        var reference = OciReference.Parse($"docker://{registry}/x/y:1");
        var uri = reference.ApiBaseUri();
        Assert.Equal(scheme, uri.Scheme);
        Assert.Equal(host, uri.Authority);
    }
}
