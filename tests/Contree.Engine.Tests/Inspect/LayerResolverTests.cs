using Contree.Core.Errors;
using Contree.Engine.Inspect;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Inspect;

public sealed class LayerResolverTests : IDisposable
{
    private readonly TestDirectory _directory = new("contree-inspect");

    public static bool IsRoot => HostRequirements.IsRoot;

    public void Dispose() => _directory.Dispose();

    /// <summary>The merged listing (for squashing) and the visible one (for ls), uncached and cached, agree.</summary>
    private static void AssertListed(string[] expected, string[] layers, string path)
    {
        var plain = new LayerResolver(layers);
        var cached = new LayerResolver(layers, new LayerDirectoryCache());
        Assert.Equal(expected, plain.List(plain.Resolve(path, true)!).Select(e => e.Name));
        Assert.Equal(expected, plain.ListVisible(plain.Resolve(path, true)!).Select(e => e.Name));
        Assert.Equal(expected, cached.ListVisible(cached.Resolve(path, true)!).Select(e => e.Name));
        Assert.Equal(expected, cached.ListVisible(cached.Resolve(path, true)!).Select(e => e.Name));
        Assert.Equal(
            plain.List(plain.Resolve(path, true)!).Select(e => (e.Name, e.Stat)),
            cached.ListVisible(cached.Resolve(path, true)!).Select(e => (e.Name, e.Stat)));
    }

    [Fact]
    public void Resolve_FileInLowerLayer_FoundThroughMergedDirectories()
    {
        var lower = Layer("lower");
        var upper = Layer("upper");
        LayerBuilder.File(lower, "etc/passwd", "root");
        LayerBuilder.File(upper, "etc/motd", "hello");
        var resolver = new LayerResolver([upper, lower]);

        Assert.Equal(Path.Combine(lower, "etc", "passwd"), resolver.Resolve("/etc/passwd", true)!.HostPath);
        Assert.Equal(Path.Combine(upper, "etc", "motd"), resolver.Resolve("etc/motd", true)!.HostPath);
        AssertListed(["motd", "passwd"], [upper, lower], "/etc");
        Assert.Null(resolver.Resolve("/etc/shadow", true));
    }

    [Fact(Skip = "needs root to mknod whiteouts", SkipUnless = nameof(IsRoot))]
    public void Resolve_WhiteoutInUpper_HidesLowerEntry()
    {
        var lower = Layer("lower");
        var upper = Layer("upper");
        LayerBuilder.File(lower, "bin/vi", "vi");
        LayerBuilder.File(lower, "bin/sh", "sh");
        LayerBuilder.Whiteout(upper, "bin/vi");
        var resolver = new LayerResolver([upper, lower]);

        Assert.Null(resolver.Resolve("/bin/vi", true));
        AssertListed(["sh"], [upper, lower], "/bin");
    }

    [Theory]
    [InlineData("user.overlay.opaque")]
    [InlineData("trusted.overlay.opaque")]
    public void List_OpaqueDirectory_HidesLowerContent(string xattr)
    {
        var lower = Layer("lower");
        var upper = Layer("upper");
        LayerBuilder.File(lower, "usr/old", "old");
        LayerBuilder.Opaque(upper, "usr", xattr);
        LayerBuilder.File(upper, "usr/new", "new");
        var resolver = new LayerResolver([upper, lower]);

        AssertListed(["new"], [upper, lower], "/usr");
        Assert.Null(resolver.Resolve("/usr/old", true));
    }

    [Fact]
    public void Resolve_FileInUpperOverLowerDirectory_HidesDirectory()
    {
        var lower = Layer("lower");
        var upper = Layer("upper");
        LayerBuilder.File(lower, "opt/app/run", "x");
        LayerBuilder.File(upper, "opt/app", "now a file");
        var resolver = new LayerResolver([upper, lower]);

        Assert.True(resolver.Resolve("/opt/app", true)!.Stat.IsRegular);
        Assert.Null(resolver.Resolve("/opt/app/run", true));
        AssertListed(["app"], [upper, lower], "/opt");
        Assert.True(new LayerResolver([upper, lower], new LayerDirectoryCache()).ListVisible(resolver.Resolve("/opt", true)!).Single().Stat.IsRegular);
    }

    [Fact]
    public void ListVisible_DotFilesSymlinksAndUpperDirectoryOverLowerFile_AllShownFromTopmostLayer()
    {
        var lower = Layer("lower");
        var upper = Layer("upper");
        LayerBuilder.File(lower, "srv/.hidden", "dot");
        LayerBuilder.File(lower, "srv/data", "was a file");
        LayerBuilder.File(upper, "srv/data/inner", "now a directory");
        LayerBuilder.Symlink(upper, "srv/current", "data/inner");
        var resolver = new LayerResolver([upper, lower], new LayerDirectoryCache());

        var listed = resolver.ListVisible(resolver.Resolve("/srv", true)!);

        Assert.Equal([".hidden", "current", "data"], listed.Select(e => e.Name));
        Assert.Equal("data/inner", listed[1].LinkTarget);
        Assert.True(listed[2].Stat.IsDirectory);
        Assert.Equal("", listed[0].LinkTarget);
        AssertListed([".hidden", "current", "data"], [upper, lower], "/srv");
    }

    [Theory]
    [InlineData("../../etc/passwd")]
    [InlineData("/etc/passwd")]
    [InlineData("../../../../../../../../etc/passwd")]
    public void Resolve_SymlinkEscapingRoot_StaysInsideImage(string target)
    {
        var layer = Layer("only");
        LayerBuilder.File(layer, "etc/passwd", "image passwd");
        LayerBuilder.Symlink(layer, "home/user/link", target);
        var resolver = new LayerResolver([layer]);

        var entry = resolver.Resolve("/home/user/link", followFinal: true);

        Assert.NotNull(entry);
        Assert.Equal(Path.Combine(layer, "etc", "passwd"), entry.HostPath);
        Assert.Equal("image passwd", File.ReadAllText(entry.HostPath));
    }

    [Fact]
    public void Resolve_SymlinkedDirectoryAbsolute_ReRootedInImage()
    {
        var layer = Layer("only");
        LayerBuilder.File(layer, "usr/lib/libc.so", "libc");
        LayerBuilder.Symlink(layer, "lib", "/usr/lib");
        LayerBuilder.Symlink(layer, "hostlink", "/tmp");
        var resolver = new LayerResolver([layer]);

        Assert.Equal(Path.Combine(layer, "usr", "lib", "libc.so"), resolver.Resolve("/lib/libc.so", false)!.HostPath);
        Assert.True(resolver.Resolve("/lib", followFinal: false)!.Stat.IsSymlink);
        Assert.Null(resolver.Resolve("/hostlink/anything", true));
    }

    [Fact]
    public void Resolve_SymlinkLoop_InvalidArgument()
    {
        var layer = Layer("only");
        LayerBuilder.Symlink(layer, "a", "b");
        LayerBuilder.Symlink(layer, "b", "a");
        var resolver = new LayerResolver([layer]);

        var error = Assert.Throws<ContreeException>(() => resolver.Resolve("/a", true));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("symbolic links", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(".", "/")]
    [InlineData("", "/")]
    [InlineData("etc/passwd", "/etc/passwd")]
    [InlineData("/etc//./passwd/", "/etc/passwd")]
    [InlineData("/../../etc", "/etc")]
    [InlineData("/a/b/../c", "/a/c")]
    public void Normalize_Variants_CanonicalAbsolutePath(string input, string expected) =>
        Assert.Equal(expected, LayerResolver.Normalize(input));

    [Fact]
    public void Resolve_DeepChainOfHundredLayers_TopmostVersionWins()
    {
        var layers = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var layer = Layer($"l{i:D3}");
            LayerBuilder.File(layer, "data/version", i.ToString(System.Globalization.CultureInfo.InvariantCulture));
            LayerBuilder.File(layer, $"data/only{i}", "x");
            layers.Insert(0, layer);
        }

        var resolver = new LayerResolver(layers);

        Assert.Equal("99", File.ReadAllText(resolver.Resolve("/data/version", true)!.HostPath));
        Assert.Equal(101, resolver.List(resolver.Resolve("/data", true)!).Count);
        Assert.NotNull(resolver.Resolve("/data/only0", true));
    }

    private string Layer(string name) => LayerBuilder.Dir(_directory.Path, name);
}
