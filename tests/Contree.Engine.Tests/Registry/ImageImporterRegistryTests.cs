using Contree.Core.Errors;
using Contree.Tests.Common;
using B = Contree.Tests.Common.OciImageBuilder;

namespace Contree.Engine.Tests.Registry;

/// <summary>Imports from Debian's docker-registry on 127.0.0.1 (anonymous), filled through the distribution API.</summary>
public sealed class ImageImporterRegistryTests : IDisposable
{
    private readonly ImportHarness _harness = new();

    public static bool CanRunRegistry => HostRequirements.CanRunRegistry;

    public void Dispose() => _harness.Dispose();

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static byte[] MotdLayer(string text) => B.Tar(B.Directory("etc/"), B.File("etc/motd", text));

    [Fact(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    public async Task ImportAsync_OciManifest_ImportsLayersEnvAndWorkingDir()
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token);
        var baseTar = B.Tar(B.Directory("bin/"), B.File("bin/vi", "vi"), B.File("etc/motd", "base"));
        var topTar = B.Tar(B.Whiteout("bin/vi"), B.File("etc/motd", "top"));
        var image = B.Image(B.Config([baseTar, topTar], ["PATH=/bin", "LANG=C.UTF-8"], "/srv"), [B.GzipLayer(baseTar), B.GzipLayer(topTar)]);
        await OciRegistryPusher.PushAsync(registry.BaseUri, "test/busybox", "1", image, cancellationToken: Token);

        var imported = await _harness.ImportAsync($"docker://{registry.Host}/test/busybox:1");

        Assert.Equal($"docker://{registry.Host}/test/busybox:1", imported.Source);
        Assert.Equal(image.Manifest.Digest, imported.ManifestDigest);
        Assert.Equal(["PATH=/bin", "LANG=C.UTF-8"], imported.Env);
        Assert.Equal("/srv", imported.WorkingDir);
        Assert.Equal(2, imported.LayerIds.Count);
        Assert.Equal("base", _harness.ReadLayerFile(imported.LayerIds[0], "etc/motd"));
        Assert.Equal("top", _harness.ReadLayerFile(imported.LayerIds[1], "etc/motd"));
        Assert.Equal("character special file 0:0", Layers.FileProbe.Stat(Path.Combine(_harness.Layers.GetDirectory(imported.LayerIds[1]), "bin/vi"), "%F %t:%T"));
        Assert.NotNull(_harness.Blobs.TryGetPath(image.Manifest.Digest));
        Assert.NotNull(_harness.Blobs.TryGetPath(image.Config.Digest));
        _harness.AssertNoLeftovers();
    }

    [Fact(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    public async Task ImportAsync_BusyboxRootfsWithWhiteoutLayer_ProducesOverlayLayers()
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token);
        var rootfs = BusyboxRootfs.Create(_harness.Scratch("busybox"));
        var baseTar = B.TarDirectory(rootfs);
        var topTar = B.Tar(B.Whiteout("bin/vi"), B.File("etc/motd", "layer2 motd"));
        var image = B.Image(B.Config([baseTar, topTar]), [B.GzipLayer(baseTar), B.GzipLayer(topTar)]);
        await OciRegistryPusher.PushAsync(registry.BaseUri, "test/busybox", "1", image, cancellationToken: Token);

        var imported = await _harness.ImportAsync($"docker://{registry.Host}/test/busybox:1");

        var bottom = _harness.Layers.GetDirectory(imported.LayerIds[0]);
        Assert.Equal(File.ReadAllBytes(BusyboxRootfs.HostBusybox), File.ReadAllBytes(Path.Combine(bottom, "bin/busybox")));
        Assert.NotNull(new FileInfo(Path.Combine(bottom, "bin/sh")).LinkTarget);
        Assert.Equal(File.GetUnixFileMode(Path.Combine(rootfs, "tmp")), File.GetUnixFileMode(Path.Combine(bottom, "tmp")));
        Assert.Equal("character special file 0:0", Layers.FileProbe.Stat(Path.Combine(_harness.Layers.GetDirectory(imported.LayerIds[1]), "bin/vi"), "%F %t:%T"));
    }

    [Fact(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    public async Task ImportAsync_DockerV2Schema2_Imports()
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token);
        var image = B.SimpleImage(MotdLayer("docker"), ["A=1"], "/root", docker: true);
        await OciRegistryPusher.PushAsync(registry.BaseUri, "test/docker", "v2s2", image, cancellationToken: Token);

        var imported = await _harness.ImportAsync($"{registry.Host}/test/docker:v2s2");

        Assert.Equal(image.Manifest.Digest, imported.ManifestDigest);
        Assert.Equal("docker", _harness.ReadLayerFile(Assert.Single(imported.LayerIds), "etc/motd"));
        Assert.Equal("/root", imported.WorkingDir);
    }

    [Theory(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    [InlineData(false)]
    [InlineData(true)]
    public async Task ImportAsync_MultiPlatformIndex_PicksHostPlatform(bool docker)
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token);
        var other = B.SimpleImage(MotdLayer("s390x"), docker: docker);
        var host = B.SimpleImage(MotdLayer("host"), docker: docker);
        var index = B.Index([(other, "linux", "s390x", null), (host, "linux", B.HostArchitecture, null), (other, "windows", B.HostArchitecture, null)], docker);
        await OciRegistryPusher.PushIndexAsync(registry.BaseUri, "test/multi", "latest", index, cancellationToken: Token);

        var imported = await _harness.ImportAsync($"docker://{registry.Host}/test/multi");

        Assert.Equal(host.Manifest.Digest, imported.ManifestDigest);
        Assert.Equal("host", _harness.ReadLayerFile(Assert.Single(imported.LayerIds), "etc/motd"));
    }

    [Fact(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    public async Task ImportAsync_IndexWithoutHostPlatform_NotFoundListsPlatforms()
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token);
        var index = B.Index([(B.SimpleImage(MotdLayer("s390x")), "linux", "s390x", null)]);
        await OciRegistryPusher.PushIndexAsync(registry.BaseUri, "test/foreign-arch", "latest", index, cancellationToken: Token);

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"docker://{registry.Host}/test/foreign-arch"));

        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
        Assert.Contains("linux/s390x", error.Message, StringComparison.Ordinal);
    }

    [Fact(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    public async Task ImportAsync_GzipZstdAndUncompressedLayers_AllExtracted()
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token);
        var plain = B.Tar(B.File("plain", "p"));
        var gzip = B.Tar(B.File("gzip", "g"));
        var zstd = B.Tar(B.File("zstd", "z"));
        var image = B.Image(B.Config([plain, gzip, zstd]), [B.Blob(B.OciLayerType, plain), B.GzipLayer(gzip), ZstdLayers.Layer(zstd)]);
        await OciRegistryPusher.PushAsync(registry.BaseUri, "test/compression", "1", image, cancellationToken: Token);

        var imported = await _harness.ImportAsync($"docker://{registry.Host}/test/compression:1");

        Assert.Equal(3, imported.LayerIds.Count);
        Assert.Equal("p", _harness.ReadLayerFile(imported.LayerIds[0], "plain"));
        Assert.Equal("g", _harness.ReadLayerFile(imported.LayerIds[1], "gzip"));
        Assert.Equal("z", _harness.ReadLayerFile(imported.LayerIds[2], "zstd"));
    }

    [Fact(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    public async Task ImportAsync_LayerSharedByTwoImages_ExtractedOnce()
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token);
        var shared = B.GzipLayer(MotdLayer("shared"));
        var first = B.Image(B.Config([MotdLayer("shared"), B.Tar(B.File("one", "1"))]), [shared, B.GzipLayer(B.Tar(B.File("one", "1")))]);
        var second = B.Image(B.Config([MotdLayer("shared"), B.Tar(B.File("two", "2"))]), [shared, B.GzipLayer(B.Tar(B.File("two", "2")))]);
        await OciRegistryPusher.PushAsync(registry.BaseUri, "test/one", "1", first, cancellationToken: Token);
        await OciRegistryPusher.PushAsync(registry.BaseUri, "test/two", "1", second, cancellationToken: Token);

        var a = await _harness.ImportAsync($"docker://{registry.Host}/test/one:1");
        var b = await _harness.ImportAsync($"docker://{registry.Host}/test/two:1");

        Assert.Equal(a.LayerIds[0], b.LayerIds[0]);
        Assert.NotEqual(a.LayerIds[1], b.LayerIds[1]);
        Assert.Equal(3, Directory.GetDirectories(_harness.Paths.Layers).Length);
    }

    [Fact(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    public async Task ImportAsync_DigestPinnedReference_ImportsThatManifest()
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token);
        var image = B.SimpleImage(MotdLayer("pinned"));
        await OciRegistryPusher.PushAsync(registry.BaseUri, "test/pinned", "1", image, cancellationToken: Token);

        var imported = await _harness.ImportAsync($"docker://{registry.Host}/test/pinned@{image.Manifest.Digest}");

        Assert.Equal(image.Manifest.Digest, imported.ManifestDigest);
        Assert.Equal($"docker://{registry.Host}/test/pinned@{image.Manifest.Digest}", imported.Source);
    }

    [Fact(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    public async Task ImportAsync_UnknownTag_NotFound()
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token);
        await OciRegistryPusher.PushAsync(registry.BaseUri, "test/known", "1", B.SimpleImage(MotdLayer("x")), cancellationToken: Token);

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"docker://{registry.Host}/test/known:nope"));

        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
        Assert.Contains($"image docker://{registry.Host}/test/known:nope not found in registry {registry.Host}", error.Message, StringComparison.Ordinal);
    }

    [Fact(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    public async Task ImportAsync_CorruptedBlobInRegistry_RejectedAndNothingStored()
    {
        await using var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token);
        var image = B.SimpleImage(MotdLayer("original"));
        await OciRegistryPusher.PushAsync(registry.BaseUri, "test/corrupt", "1", image, cancellationToken: Token);
        var layer = image.Layers[0];
        var tampered = B.Gzip(MotdLayer("evil!!!!"));
        await File.WriteAllBytesAsync(registry.BlobDataPath(layer.Digest), tampered, Token);

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"docker://{registry.Host}/test/corrupt:1"));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("mismatch", error.Message, StringComparison.Ordinal);
        Assert.Null(_harness.Blobs.TryGetPath(layer.Digest));
        Assert.Null(_harness.Layers.FindBySource(layer.Digest));
        Assert.Null(_harness.Blobs.TryGetPath(image.Manifest.Digest));
        Assert.Empty(Directory.GetDirectories(_harness.Paths.Layers));
        _harness.AssertNoLeftovers();
    }

    [Fact(Skip = HostRequirements.RegistrySkipReason, SkipUnless = nameof(CanRunRegistry))]
    public async Task ImportAsync_RegistryDown_Unavailable()
    {
        int port;
        await using (var registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, Token))
        {
            port = registry.Port;
        }

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"docker://127.0.0.1:{port}/test/gone:1"));

        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.Contains($"127.0.0.1:{port}", error.Message, StringComparison.Ordinal);
    }
}
