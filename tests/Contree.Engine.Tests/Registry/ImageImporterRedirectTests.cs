using Contree.Core.Errors;
using B = Contree.Tests.Common.OciImageBuilder;

namespace Contree.Engine.Tests.Registry;

/// <summary>Blob redirects to another origin, which a filesystem-backed distribution registry never sends.</summary>
public sealed class ImageImporterRedirectTests : IDisposable
{
    private readonly ImportHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ImportAsync_BlobRedirectToOtherHost_FollowedWithoutAuthorization()
    {
        var image = B.SimpleImage(B.Tar(B.File("etc/motd", "redirected")));
        using var registry = new ScriptedRegistry(image, "user", "secret");

        var imported = await _harness.ImportAsync($"docker://127.0.0.1:{registry.RegistryPort}/app:1", "user", "secret");

        Assert.Equal("redirected", _harness.ReadLayerFile(Assert.Single(imported.LayerIds), "etc/motd"));
        Assert.Equal(2, registry.StorageAuthorizations.Count); // config and layer
        Assert.All(registry.StorageAuthorizations, value => Assert.Equal("none", value));
    }

    [Fact]
    public async Task ImportAsync_ScriptedRegistryWrongPassword_Unauthorized()
    {
        var image = B.SimpleImage(B.Tar(B.File("etc/motd", "x")));
        using var registry = new ScriptedRegistry(image, "user", "secret");

        var error = await Assert.ThrowsAsync<ContreeException>(
            () => _harness.ImportAsync($"docker://127.0.0.1:{registry.RegistryPort}/app:1", "user", "nope"));

        Assert.Equal(ContreeErrorKind.Unauthorized, error.Kind);
        Assert.Empty(registry.StorageAuthorizations);
    }
}
