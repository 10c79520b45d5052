using Contree.Core;
using Contree.Mcp.Caches;
using Contree.Mcp.Operations;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Tests.Operations;

/// <summary>An OperationTracker over a FakeContreeBackend with a real SQLite cache in a temp directory.</summary>
internal sealed class TrackerFixture : IAsyncDisposable
{
    public TrackerFixture(bool pollingOnly, string? directory = null)
    {
        Directory = directory ?? System.IO.Directory.CreateTempSubdirectory("contree-tracker-").FullName;
        Cache = new GeneralCache(Options.Create(new ContreeMcpOptions { GeneralCachePath = Path.Combine(Directory, "cache.db") }), TimeProvider.System);
        Lineage = new LineageStore(Cache);
        View = pollingOnly ? Backend.AsPollingOnly() : Backend;
        Tracker = new OperationTracker(View, Cache, Lineage, TimeProvider.System, NullLogger<OperationTracker>.Instance);
    }

    public string Directory { get; }

    public FakeContreeBackend Backend { get; } = new();

    public IContreeBackend View { get; }

    public GeneralCache Cache { get; }

    public LineageStore Lineage { get; }

    public OperationTracker Tracker { get; }

    public OperationTracker NewTracker() => new(View, Cache, Lineage, TimeProvider.System, NullLogger<OperationTracker>.Instance);

    public async ValueTask DisposeAsync()
    {
        await Tracker.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
