using Contree.Core.Models;
using Contree.Engine.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Contree.Engine.Tests.Backend;

public sealed class EngineRecoveryTests
{
    [Fact]
    public async Task HostStart_InterruptedOperationsAndLeftovers_FailedAndRemoved()
    {
        await using var engine = new EngineFixture();
        var operations = engine.Get<OperationStore>();
        var metadata = new InstanceMetadata { Command = "sleep 1", Image = Guid.NewGuid().ToString() };
        var now = Timestamps.Format(DateTimeOffset.UtcNow);
        operations.Insert(new OperationRecord("op-pending", OperationKind.Instance, OperationStatus.Pending, null, metadata, null, now, null, 0));
        operations.Insert(new OperationRecord("op-running", OperationKind.Instance, OperationStatus.Executing, null, metadata, null, now, null, 0));
        operations.Insert(new OperationRecord("op-done", OperationKind.Instance, OperationStatus.Success, null, metadata, new OperationResult { Image = "x" }, now, now, 1));
        var paths = engine.Get<EnginePaths>();
        File.WriteAllText(Path.Combine(paths.Ingest, "half-written"), "x");
        Directory.CreateDirectory(Path.Combine(paths.Staging, "half-built", "fs", "etc"));
        Directory.CreateDirectory(Path.Combine(paths.Runs, "op-running", "upper", "root"));
        var layers = engine.Get<LayerStore>();
        var recorded = layers.CommitStaged(layers.CreateStagingDirectory());
        var orphan = Guid.NewGuid().ToString("N");
        var named = Guid.NewGuid().ToString("N");
        Directory.CreateDirectory(Path.Combine(paths.Layers, orphan, "fs", "etc"));
        Directory.CreateDirectory(Path.Combine(paths.Layers, named, "fs"));
        engine.Get<ImageStore>().Insert(new ImageRecord(Guid.NewGuid().ToString(), null, [named, recorded], null, now, null, null, null, null, [], "/"));

        var host = engine.Provider.GetServices<IHostedService>().OfType<EngineHost>().Single();
        await host.StartAsync(TestContext.Current.CancellationToken);

        foreach (var id in (string[])["op-pending", "op-running"])
        {
            var op = await engine.Backend.GetOperationAsync(id, TestContext.Current.CancellationToken);
            Assert.Equal(OperationStatus.Failed, op.Status);
            Assert.Equal("engine restarted", op.Error);
            await engine.Backend.WaitForTerminalAsync(id, TestContext.Current.CancellationToken);
        }

        Assert.Equal(OperationStatus.Success, (await engine.Backend.GetOperationAsync("op-done", TestContext.Current.CancellationToken)).Status);
        Assert.Empty(Directory.EnumerateFileSystemEntries(paths.Ingest));
        Assert.Empty(Directory.EnumerateFileSystemEntries(paths.Staging));
        Assert.Empty(Directory.EnumerateFileSystemEntries(paths.Runs));
        Assert.False(Directory.Exists(Path.Combine(paths.Layers, orphan)), "a layer without record or image is a commit interrupted by a crash");
        Assert.True(Directory.Exists(layers.GetDirectory(recorded)));
        Assert.True(Directory.Exists(layers.GetDirectory(named)), "a layer an image names is kept even without its record");
        await host.StopAsync(TestContext.Current.CancellationToken);
    }

    [Fact]
    public async Task Reopen_FinishedOperation_SameResponseAfterRestart()
    {
        await using var first = new EngineFixture();
        var file = await first.Backend.UploadFileAsync(new MemoryStream([1, 2, 3]), TestContext.Current.CancellationToken);
        var image = first.CreateBusyboxImage(tag: "persist");

        await using var second = new EngineFixture(o => o.DataDirectory = first.DataDirectory);

        Assert.Equal(image, (await second.Backend.GetImageByTagAsync("persist", TestContext.Current.CancellationToken)).Uuid);
        Assert.True(await second.Backend.FileExistsByUuidAsync(file.Uuid, TestContext.Current.CancellationToken));
        Assert.True(await second.Backend.FileExistsInImageAsync(image, "/bin/busybox", TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Recover_AnotherEngineOnSameDataDirectory_LeavesItsOperationsAlone()
    {
        await using var first = new EngineFixture();
        var now = Timestamps.Format(DateTimeOffset.UtcNow);
        var metadata = new InstanceMetadata { Command = "true", Image = Guid.NewGuid().ToString() };
        first.Get<OperationStore>().Insert(new OperationRecord("op-live-elsewhere", OperationKind.Instance, OperationStatus.Executing, null, metadata, null, now, null, 0));
        var leftover = Path.Combine(first.DataDirectory, "staging", "in-use");
        Directory.CreateDirectory(leftover);

        await using (var second = new EngineFixture(o => o.DataDirectory = first.DataDirectory))
        {
            Assert.Equal(OperationStatus.Executing, (await second.Backend.GetOperationAsync("op-live-elsewhere", TestContext.Current.CancellationToken)).Status);
            Assert.True(Directory.Exists(leftover));
        }

        await first.DisposeProviderAsync();
        await using var third = new EngineFixture(o => o.DataDirectory = first.DataDirectory);

        Assert.Equal(OperationStatus.Failed, (await third.Backend.GetOperationAsync("op-live-elsewhere", TestContext.Current.CancellationToken)).Status);
        Assert.False(Directory.Exists(leftover));
    }
}
