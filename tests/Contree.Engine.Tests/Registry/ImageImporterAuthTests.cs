using Contree.Core.Errors;
using Contree.Tests.Common;
using B = Contree.Tests.Common.OciImageBuilder;

namespace Contree.Engine.Tests.Registry;

/// <summary>Registry authentication: htpasswd Basic and the Bearer token challenge, against the real registry.</summary>
public sealed class ImageImporterAuthTests : IDisposable
{
    private readonly ImportHarness _harness = new();

    public static bool CanRunRegistry => HostRequirements.CanRunRegistry;

    public void Dispose() => _harness.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static async Task<(RegistryFixture Registry, OciTestImage Image)> StartWithImageAsync(RegistryAuthMode mode)
    {
        var registry = await RegistryFixture.StartAsync(mode, Token);
        var image = B.SimpleImage(B.Tar(B.File("etc/motd", mode.ToString())));
        await OciRegistryPusher.PushAsync(registry.BaseUri, "private/app", "1", image, registry.PushAuthorization, Token);
        return (registry, image);
    }

    [Theory(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    [InlineData(RegistryAuthMode.Basic)]
    [InlineData(RegistryAuthMode.Token)]
    public async Task ImportAsync_ValidCredentials_Imports(RegistryAuthMode mode)
    {
        var (registry, image) = await StartWithImageAsync(mode);
        await using var _ = registry;

        var imported = await _harness.ImportAsync($"docker://{registry.Host}/private/app:1", RegistryFixture.Username, RegistryFixture.Password);

        Assert.Equal(image.Manifest.Digest, imported.ManifestDigest);
        Assert.Equal(mode.ToString(), _harness.ReadLayerFile(Assert.Single(imported.LayerIds), "etc/motd"));
        if (mode == RegistryAuthMode.Token)
        {
            // silly auth accepts any bearer: the fixture's token endpoint is what checked the credentials.
            Assert.Equal(1, registry.TokenRequests);
            Assert.Contains("scope=repository%3Aprivate%2Fapp%3Apull", registry.LastTokenQuery, StringComparison.Ordinal);
            Assert.Contains("service=" + RegistryFixture.TokenService, registry.LastTokenQuery, StringComparison.Ordinal);
        }
    }

    [Theory(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    [InlineData(RegistryAuthMode.Basic)]
    [InlineData(RegistryAuthMode.Token)]
    public async Task ImportAsync_WrongPassword_Unauthorized(RegistryAuthMode mode)
    {
        var (registry, _) = await StartWithImageAsync(mode);
        await using var _r = registry;

        var error = await Assert.ThrowsAsync<ContreeException>(
            () => _harness.ImportAsync($"docker://{registry.Host}/private/app:1", RegistryFixture.Username, "wrong-password"));

        Assert.Equal(ContreeErrorKind.Unauthorized, error.Kind);
        Assert.Contains("rejected the credentials", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong-password", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, registry.TokenRequests);
    }

    [Theory(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    [InlineData(RegistryAuthMode.Basic)]
    [InlineData(RegistryAuthMode.Token)]
    public async Task ImportAsync_Anonymous_UnauthorizedAsksForRegistryAuth(RegistryAuthMode mode)
    {
        var (registry, _) = await StartWithImageAsync(mode);
        await using var _r = registry;

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"docker://{registry.Host}/private/app:1"));

        Assert.Equal(ContreeErrorKind.Unauthorized, error.Kind);
        Assert.Contains("registry_auth", error.Message, StringComparison.Ordinal);
    }
}
