using Contree.Core.Errors;
using Contree.Engine.Inspect;
using Contree.Engine.Tests.Inspect;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// The host-side inspect code (read_file, list_files, download and the /v1 inspect endpoints) reads an image's layers
/// as root on the host. A hostile image's symlinks and a hostile path must resolve inside the image, as if its merged
/// view were /, never reach the host's own files.
/// </summary>
public sealed class HostileImageInspectProbeTests : IDisposable
{
    private const string Uuid = "11111111-2222-3333-4444-555555555555";
    private readonly TestDirectory _directory = new("contree-hostile-inspect");

    public void Dispose() => _directory.Dispose();

    [Theory]
    [InlineData("/etc/passwd")]
    [InlineData("../../../../../../etc/passwd")]
    [InlineData("/proc/self/environ")]
    [InlineData("/proc/1/root/etc/passwd")]
    public void SymlinkToHostPath_IsResolvedInsideTheImage(string target)
    {
        var layer = LayerBuilder.Dir(_directory.Path, "layer");
        LayerBuilder.Symlink(layer, "srv/escape", target);

        var error = Assert.Throws<ContreeException>(() => new ImageInspector(Uuid, [layer]).OpenFile("/srv/escape"));

        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
    }

    [Fact]
    public void SymlinkToHostPath_ReadsTheImagesFileOfThatName()
    {
        var layer = LayerBuilder.Dir(_directory.Path, "layer");
        LayerBuilder.File(layer, "etc/passwd", "image\n");
        LayerBuilder.Symlink(layer, "srv/escape", "../../../../../etc/passwd");

        using var reader = new StreamReader(new ImageInspector(Uuid, [layer]).OpenFile("/srv/escape"));

        Assert.Equal("image\n", reader.ReadToEnd());
    }

    [Theory]
    [InlineData("/../../../../etc/passwd")]
    [InlineData("etc/../../../../etc/passwd")]
    [InlineData("/./etc//../../etc/passwd")]
    public void DotDotInThePath_StaysInsideTheImage(string path)
    {
        var layer = LayerBuilder.Dir(_directory.Path, "layer");
        LayerBuilder.File(layer, "etc/passwd", "image\n");

        using var reader = new StreamReader(new ImageInspector(Uuid, [layer]).OpenFile(path));

        Assert.Equal("image\n", reader.ReadToEnd());
    }

    [Fact]
    public void DirectorySymlinkToHostDirectory_ListsTheImagesDirectory()
    {
        var layer = LayerBuilder.Dir(_directory.Path, "layer");
        LayerBuilder.File(layer, "etc/only-in-image", "x");
        LayerBuilder.Symlink(layer, "hostetc", "/etc");

        var list = new ImageInspector(Uuid, [layer]).ListDirectory("/hostetc");

        Assert.Equal(["only-in-image"], list.Files.Select(static f => f.Path));
    }

    [Fact]
    public void SymlinkLoop_IsAnErrorNotAHang()
    {
        var layer = LayerBuilder.Dir(_directory.Path, "layer");
        LayerBuilder.Symlink(layer, "a", "b");
        LayerBuilder.Symlink(layer, "b", "a");
        var inspector = new ImageInspector(Uuid, [layer]);

        Assert.Throws<ContreeException>(() => inspector.OpenFile("/a"));
        Assert.False(inspector.FileExists("/a"));
    }
}
