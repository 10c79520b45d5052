using Contree.Core.Errors;
using Contree.Mcp.Caches;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Tests.Caches;

public sealed class GeneralCacheTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("contree-cache-").FullName;
    private readonly ManualTime _time = new();

    private GeneralCache Create(int pruneDays = 60) =>
        new(Options.Create(new ContreeMcpOptions { GeneralCachePath = Path.Combine(_directory, "sub", "cache.db"), CachePruneDays = pruneDays }), _time);

    [Fact]
    public void Put_Upsert_KeepsIdAndCreatedAtAndRefreshesUpdatedAt()
    {
        var cache = Create();
        var first = cache.Put("k", "a", "{\"v\":1}");
        _time.Advance(TimeSpan.FromMinutes(5));

        var second = cache.Put("k", "a", "{\"v\":2}");

        Assert.Equal(first.Id, second.Id);
        Assert.Equal(first.CreatedAt, second.CreatedAt);
        Assert.NotEqual(first.UpdatedAt, second.UpdatedAt);
        Assert.Equal("{\"v\":2}", cache.Get("k", "a")!.Data);
        Assert.True(File.Exists(Path.Combine(_directory, "sub", "cache.db")));
    }

    [Fact]
    public void Delete_ExistingAndMissing_ReportsWhetherARowWent()
    {
        var cache = Create();
        cache.Put("k", "a", "{}");

        Assert.True(cache.Delete("k", "a"));
        Assert.False(cache.Delete("k", "a"));
        Assert.Null(cache.Get("k", "a"));
    }

    [Fact]
    public void ListEntries_FiltersOnJsonFields()
    {
        var cache = Create();
        cache.Put("image", "x", "{\"tag\":\"a\",\"n\":1}");
        cache.Put("image", "y", "{\"tag\":\"b\",\"n\":2}");

        var found = cache.ListEntries("image", 10, new Dictionary<string, object?> { ["tag"] = "b" });

        Assert.Equal("y", Assert.Single(found).Key);
    }

    [Fact]
    public void ListEntries_InjectionInFieldName_IsRejected()
    {
        var cache = Create();

        var error = Assert.Throws<ContreeException>(() => cache.ListEntries("image", 10, new Dictionary<string, object?> { ["x') OR 1=1 --"] = "b" }));

        Assert.Equal("Invalid filter field name: x') OR 1=1 --", error.Message);
    }

    [Fact]
    public void AncestorsAndChildren_FollowParentLinks()
    {
        var cache = Create();
        var root = cache.Put("image", "root", "{}");
        var level1 = cache.Put("image", "l1", "{}", root.Id);
        cache.Put("image", "l2", "{}", level1.Id);
        cache.Put("image", "other", "{}", root.Id);

        Assert.Equal(["l1", "root"], cache.GetAncestors("image", "l2").Select(e => e.Key));
        Assert.Equal(["l1", "other"], cache.GetChildren("image", "root").Select(e => e.Key));
        Assert.Empty(cache.GetChildren("image", "missing"));
    }

    [Fact]
    public void Prune_RemovesRowsNotUpdatedWithinRetention()
    {
        var cache = Create();
        cache.Put("k", "old", "{}");
        cache.Put("k", "refreshed", "{}");
        _time.Advance(TimeSpan.FromDays(50));
        cache.Put("k", "refreshed", "{\"again\":true}");
        _time.Advance(TimeSpan.FromDays(20));

        var removed = cache.Prune(60);

        Assert.Equal(1, removed);
        Assert.Null(cache.Get("k", "old"));
        Assert.NotNull(cache.Get("k", "refreshed"));
        Assert.Equal(0, cache.Prune(0));
    }

    private sealed class ManualTime : TimeProvider
    {
        private DateTimeOffset _now = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

        public override DateTimeOffset GetUtcNow() => _now;

        public void Advance(TimeSpan by) => _now += by;
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }
}
