using Contree.Core.Errors;
using Contree.Tests.Common;
using B = Contree.Tests.Common.OciImageBuilder;

namespace Contree.Engine.Tests.Registry;

/// <summary>Imports from OCI layouts (directory and oci-archive) and docker-archive files.</summary>
public sealed class ImageImporterLocalTests : IDisposable
{
    private readonly ImportHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    private static byte[] MotdLayer(string text) => B.Tar(B.Directory("etc/"), B.File("etc/motd", text));

    [Fact]
    public async Task ImportAsync_OciLayoutWithTag_ImportsTaggedImage()
    {
        var layout = _harness.Scratch("layout");
        var v1 = B.SimpleImage(MotdLayer("v1"), ["V=1"], "/one");
        var v2 = B.SimpleImage(MotdLayer("v2"), ["V=2"], "/two");
        OciImageWriter.WriteLayout(layout, (v1, "v1"), (v2, "v2"));

        var imported = await _harness.ImportAsync($"oci:{layout}:v2");

        Assert.Equal($"oci:{layout}:v2", imported.Source);
        Assert.Equal(v2.Manifest.Digest, imported.ManifestDigest);
        Assert.Equal(["V=2"], imported.Env);
        Assert.Equal("/two", imported.WorkingDir);
        Assert.Equal("v2", _harness.ReadLayerFile(Assert.Single(imported.LayerIds), "etc/motd"));
    }

    [Fact]
    public async Task ImportAsync_OciLayoutSingleImageWithoutTag_ImportsIt()
    {
        var layout = _harness.Scratch("single");
        var image = B.SimpleImage(MotdLayer("only"));
        OciImageWriter.WriteLayout(layout, (image, null));

        var imported = await _harness.ImportAsync($"oci:{layout}");

        Assert.Equal(image.Manifest.Digest, imported.ManifestDigest);
        Assert.Equal("only", _harness.ReadLayerFile(Assert.Single(imported.LayerIds), "etc/motd"));
    }

    [Fact]
    public async Task ImportAsync_OciLayoutSeveralImagesWithoutTag_InvalidArgumentListsTags()
    {
        var layout = _harness.Scratch("several");
        OciImageWriter.WriteLayout(layout, (B.SimpleImage(MotdLayer("a")), "a"), (B.SimpleImage(MotdLayer("b")), "b"));

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"oci:{layout}"));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("tags: a, b", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_OciLayoutUnknownTag_NotFound()
    {
        var layout = _harness.Scratch("unknown");
        OciImageWriter.WriteLayout(layout, (B.SimpleImage(MotdLayer("a")), "a"));

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"oci:{layout}:zzz"));

        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
        Assert.Contains("tag 'zzz' not found", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_OciLayoutWithIndex_PicksHostPlatform()
    {
        var layout = _harness.Scratch("index");
        var host = B.SimpleImage(MotdLayer("host"));
        var index = B.Index([(B.SimpleImage(MotdLayer("other")), "linux", "ppc64le", null), (host, "linux", B.HostArchitecture, null)]);
        OciImageWriter.WriteLayout(layout, index, "multi");

        var imported = await _harness.ImportAsync($"oci:{layout}:multi");

        Assert.Equal(host.Manifest.Digest, imported.ManifestDigest);
        Assert.Equal("host", _harness.ReadLayerFile(Assert.Single(imported.LayerIds), "etc/motd"));
    }

    [Fact]
    public async Task ImportAsync_OciLayoutWithCorruptedBlob_RejectedAndNothingStored()
    {
        var layout = _harness.Scratch("corrupt");
        var image = B.SimpleImage(MotdLayer("good"));
        OciImageWriter.WriteLayout(layout, (image, "t"));
        await File.WriteAllBytesAsync(Path.Combine(layout, "blobs", "sha256", image.Layers[0].Hex), B.Gzip(MotdLayer("bad")), TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"oci:{layout}:t"));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Null(_harness.Blobs.TryGetPath(image.Layers[0].Digest));
        Assert.Empty(Directory.GetDirectories(_harness.Paths.Layers));
        _harness.AssertNoLeftovers();
    }

    [Fact]
    public async Task ImportAsync_HostileLayer_RejectedAndStagingDiscarded()
    {
        var layout = _harness.Scratch("hostile");
        var outside = _harness.Scratch("outside");
        var hostile = B.Tar(B.File("etc/ok", "fine"), B.Symlink("etc/x", outside), B.File("etc/x/evil", "owned"));
        OciImageWriter.WriteLayout(layout, (B.SimpleImage(hostile), null));

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"oci:{layout}"));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("symlink", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.GetFileSystemEntries(outside));
        Assert.Empty(Directory.GetDirectories(_harness.Paths.Layers));
        _harness.AssertNoLeftovers();
    }

    [Fact]
    public async Task ImportAsync_OciArchive_ImportsWithoutUnpacking()
    {
        var file = Path.Combine(_harness.Scratch("archive"), "image.tar");
        var image = B.Image(B.Config([MotdLayer("archived"), B.Tar(B.File("zstd", "z"))], ["X=y"]), [B.GzipLayer(MotdLayer("archived")), ZstdLayers.Layer(B.Tar(B.File("zstd", "z")))]);
        OciImageWriter.WriteOciArchive(file, (image, "latest"));

        var imported = await _harness.ImportAsync($"oci-archive:{file}:latest");

        Assert.Equal($"oci-archive:{file}:latest", imported.Source);
        Assert.Equal(image.Manifest.Digest, imported.ManifestDigest);
        Assert.Equal("archived", _harness.ReadLayerFile(imported.LayerIds[0], "etc/motd"));
        Assert.Equal("z", _harness.ReadLayerFile(imported.LayerIds[1], "zstd"));
        Assert.Equal(["X=y"], imported.Env);
    }

    [Fact]
    public async Task ImportAsync_DockerArchive_ImportsLayersAndConfig()
    {
        var file = Path.Combine(_harness.Scratch("docker"), "saved.tar");
        var baseTar = B.Tar(B.Directory("bin/"), B.File("bin/sh", "sh"), B.File("etc/motd", "base"));
        var topTar = B.Tar(B.Whiteout("bin/sh"), B.File("etc/motd", "top"));
        var config = OciImageWriter.WriteDockerArchive(file, [baseTar, topTar], "app:1", ["HOME=/root"], "/work");

        var imported = await _harness.ImportAsync($"docker-archive:{file}");

        Assert.Equal(config.Digest, imported.ManifestDigest);
        Assert.Equal(["HOME=/root"], imported.Env);
        Assert.Equal("/work", imported.WorkingDir);
        Assert.Equal(2, imported.LayerIds.Count);
        Assert.Equal("base", _harness.ReadLayerFile(imported.LayerIds[0], "etc/motd"));
        Assert.Equal("top", _harness.ReadLayerFile(imported.LayerIds[1], "etc/motd"));
        Assert.Equal("character special file", Layers.FileProbe.Stat(Path.Combine(_harness.Layers.GetDirectory(imported.LayerIds[1]), "bin/sh"), "%F"));
    }

    [Fact]
    public async Task ImportAsync_DockerArchiveByRepoTag_SelectsImage()
    {
        var file = Path.Combine(_harness.Scratch("docker-tag"), "saved.tar");
        OciImageWriter.WriteDockerArchive(file, [MotdLayer("tagged")], "registry.example/app:2");

        var imported = await _harness.ImportAsync($"docker-archive:{file}:registry.example/app:2");

        Assert.Equal("tagged", _harness.ReadLayerFile(Assert.Single(imported.LayerIds), "etc/motd"));
        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"docker-archive:{file}:other:1"));
        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task ImportAsync_DockerArchiveLayerNotMatchingDiffId_Rejected()
    {
        var file = Path.Combine(_harness.Scratch("docker-bad"), "saved.tar");
        OciImageWriter.WriteDockerArchive(file, [MotdLayer("x")], "app:1");
        var bytes = await File.ReadAllBytesAsync(file, TestContext.Current.CancellationToken);
        var at = IndexOf(bytes, "x"u8.ToArray(), IndexOf(bytes, "etc/motd"u8.ToArray(), IndexOf(bytes, "layer0/layer.tar"u8.ToArray(), 0) + 600) + 400);
        bytes[at] = (byte)'y';
        await File.WriteAllBytesAsync(file, bytes, TestContext.Current.CancellationToken);

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"docker-archive:{file}"));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("mismatch", error.Message, StringComparison.Ordinal);
        _harness.AssertNoLeftovers();
    }

    [Theory]
    [InlineData("oci:relative/dir")]
    [InlineData("oci-archive:image.tar")]
    [InlineData("docker-archive:./saved.tar")]
    public async Task ImportAsync_RelativeLocalPath_InvalidArgument(string url)
    {
        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync(url));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("must be absolute", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportAsync_MissingLayoutDirectory_NotFound()
    {
        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"oci:{_harness.Root}/absent:tag"));

        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public async Task ImportAsync_ForeignLayer_RefusedClearly()
    {
        var layout = _harness.Scratch("foreign");
        var foreign = B.Blob("application/vnd.docker.image.rootfs.foreign.diff.tar.gzip", B.Gzip(MotdLayer("win")));
        var image = B.Image(B.Config([MotdLayer("win")]), [foreign]);
        OciImageWriter.WriteLayout(layout, (image, null));

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.ImportAsync($"oci:{layout}"));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("non-distributable", error.Message, StringComparison.Ordinal);
    }

    private static int IndexOf(byte[] haystack, byte[] needle, int start)
    {
        for (var i = start; i <= haystack.Length - needle.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        throw new InvalidOperationException("pattern not found");
    }
}
