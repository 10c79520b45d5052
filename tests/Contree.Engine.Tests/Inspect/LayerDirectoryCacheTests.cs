using Contree.Engine.Inspect;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Inspect;

public sealed class LayerDirectoryCacheTests : IDisposable
{
    private readonly TestDirectory _directory = new("contree-listings");

    public void Dispose() => _directory.Dispose();

    [Fact]
    public void Read_SameDirectoryTwice_SecondAnswerComesFromMemory()
    {
        var dir = Populated("a", 3);
        var cache = new LayerDirectoryCache(capacity: 10);

        var first = cache.Read(dir);
        File.WriteAllText(Path.Combine(dir, "late"), "never seen: committed layers do not change");
        var second = cache.Read(dir);

        Assert.Same(first, second);
        Assert.Equal(3, cache.EntryCount);
        Assert.Equal(4, LayerDirectoryCache.ReadFromDisk(dir).Count);
    }

    [Fact]
    public void Read_BeyondCapacity_EvictsLeastRecentlyUsedDirectory()
    {
        var a = Populated("a", 4);
        var b = Populated("b", 4);
        var c = Populated("c", 4);
        var cache = new LayerDirectoryCache(capacity: 8);

        var firstA = cache.Read(a);
        var firstB = cache.Read(b);
        cache.Read(a);
        cache.Read(c);

        Assert.Equal(8, cache.EntryCount);
        Assert.Same(firstA, cache.Read(a));
        Assert.NotSame(firstB, cache.Read(b));
    }

    [Fact]
    public void Read_DirectoryLargerThanCapacity_ReturnedButNotKept()
    {
        var big = Populated("big", 5);
        var cache = new LayerDirectoryCache(capacity: 4);

        Assert.Equal(5, cache.Read(big).Count);
        Assert.Equal(0, cache.EntryCount);
    }

    [Fact]
    public void ReadFromDisk_MissingDirectory_ThrowsIOExceptionNamingIt()
    {
        var missing = _directory.Combine("missing");

        var error = Assert.ThrowsAny<IOException>(() => LayerDirectoryCache.ReadFromDisk(missing));

        Assert.Contains(missing, error.Message, StringComparison.Ordinal);
    }

    private string Populated(string name, int files)
    {
        var dir = Directory.CreateDirectory(_directory.Combine(name)).FullName;
        for (var i = 0; i < files; i++)
        {
            File.WriteAllText(Path.Combine(dir, $"f{i}"), "x");
        }

        return dir;
    }
}
