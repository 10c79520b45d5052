using Contree.Core.Models;
using Contree.Engine.Runtime;
using Contree.Engine.Storage;
using Contree.Engine.Tests.Storage;
using Contree.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Contree.Engine.Tests.Backend;

/// <summary>
/// A complete engine from <see cref="EngineServiceCollectionExtensions.AddContreeEngine"/> over a fresh data
/// directory, with its own cgroup name so recovery never touches other test classes' sandboxes.
/// </summary>
internal sealed class EngineFixture : IAsyncDisposable
{
    private readonly TestDirectory _directory = new("contree-engine");

    public EngineFixture(Action<EngineOptions>? configure = null)
    {
        DataDirectory = _directory.Combine("data");
        var services = new ServiceCollection();
        services.AddContreeEngine(o =>
        {
            o.DataDirectory = DataDirectory;
            o.MaxConcurrentOperations = 4;
            configure?.Invoke(o);
        });
        services.AddSingleton(new RuntimeOptions { CgroupName = "contree-enga-" + Guid.NewGuid().ToString("N")[..12] });
        Provider = services.BuildServiceProvider();
        Backend = Provider.GetRequiredService<LocalContreeBackend>();
        Backend.Recover();
    }

    public string DataDirectory { get; }

    public ServiceProvider Provider { get; }

    public LocalContreeBackend Backend { get; }

    public T Get<T>()
        where T : notnull => Provider.GetRequiredService<T>();

    /// <summary>Records an image whose only layer is a busybox root filesystem; returns its UUID.</summary>
    public string CreateBusyboxImage(string? tag = null)
    {
        var layers = Get<LayerStore>();
        var staging = layers.CreateStagingDirectory();
        BusyboxRootfs.Create(Path.Combine(staging, "fs"));

        // As the store keeps image files: under the sandbox's host ids.
        Contree.Engine.Storage.StoreIdMigration.ShiftTree(Path.Combine(staging, "fs"));
        var layer = layers.CommitStaged(staging);
        var image = StoreFixture.NewImage([layer], tag) with { Env = ["PATH=/bin:/usr/bin", "GREETING=from-image"] };
        Get<ImageStore>().Insert(image);
        return image.Uuid;
    }

    /// <summary>Spawns and waits for the terminal state through IOperationCompletion.</summary>
    public async Task<OperationResponse> RunAsync(InstanceMetadata request)
    {
        var id = await Backend.SpawnInstanceAsync(request, TestContext.Current.CancellationToken);
        await Backend.WaitForTerminalAsync(id, TestContext.Current.CancellationToken);
        return await Backend.GetOperationAsync(id, TestContext.Current.CancellationToken);
    }

    /// <summary>Stops the engine (releasing its lock on the data directory) but keeps the directory.</summary>
    public ValueTask DisposeProviderAsync() => Provider.DisposeAsync();

    public async ValueTask DisposeAsync()
    {
        await Provider.DisposeAsync();
        _directory.Dispose();
    }
}
