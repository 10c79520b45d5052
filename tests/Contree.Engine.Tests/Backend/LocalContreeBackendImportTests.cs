using Contree.Core.Models;
using Contree.Engine.Storage;
using Contree.Tests.Common;
using B = Contree.Tests.Common.OciImageBuilder;

namespace Contree.Engine.Tests.Backend;

public sealed class LocalContreeBackendImportTests : IAsyncDisposable
{
    private readonly EngineFixture _engine = new();
    private readonly TestDirectory _scratch = new("contree-import");

    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    public async ValueTask DisposeAsync()
    {
        await _engine.DisposeAsync();
        _scratch.Dispose();
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Import_OciLayout_TaggedImageRunsWithConfigEnv()
    {
        var rootfs = BusyboxRootfs.Create(_scratch.Combine("rootfs"));
        var layout = _scratch.Combine("layout");
        var image = B.SimpleImage(B.TarDirectory(rootfs), ["PATH=/bin", "FLAVOUR=imported"], "/tmp");
        OciImageWriter.WriteLayout(layout, (image, "v1"));

        var id = await _engine.Backend.ImportImageAsync(
            new ImportImageMetadata { Registry = new ImageRegistry { Url = $"oci:{layout}:v1" }, Tag = "busybox:test" },
            TestContext.Current.CancellationToken);
        await _engine.Backend.WaitForTerminalAsync(id, TestContext.Current.CancellationToken);
        var op = await _engine.Backend.GetOperationAsync(id, TestContext.Current.CancellationToken);

        Assert.Equal(OperationStatus.Success, op.Status);
        Assert.Equal("busybox:test", op.Result!.Tag);
        var uuid = op.Result.Image!;
        Assert.Equal(uuid, (await _engine.Backend.GetImageByTagAsync("busybox:test", TestContext.Current.CancellationToken)).Uuid);
        var record = _engine.Get<ImageStore>().Get(uuid)!;
        Assert.Equal($"oci:{layout}:v1", record.Origin);
        Assert.Equal(image.Manifest.Digest, record.ManifestDigest);
        var run = await _engine.RunAsync(new InstanceMetadata { Command = "echo $FLAVOUR", Image = uuid, Shell = true, Disposable = true });
        Assert.Equal("imported\n", run.Instance!.Result!.Stdout.ToText());
    }

    [Fact]
    public async Task Import_MissingSource_FailedWithErrorAndPasswordNotStored()
    {
        var missing = _scratch.Combine("no-such-layout");

        var id = await _engine.Backend.ImportImageAsync(
            new ImportImageMetadata
            {
                Registry = new ImageRegistry { Url = $"oci:{missing}", Credentials = new ImageCredentials { Username = "u", Password = "s3cret" } },
            },
            TestContext.Current.CancellationToken);
        await _engine.Backend.WaitForTerminalAsync(id, TestContext.Current.CancellationToken);
        var op = await _engine.Backend.GetOperationAsync(id, TestContext.Current.CancellationToken);

        Assert.Equal(OperationStatus.Failed, op.Status);
        Assert.False(string.IsNullOrEmpty(op.Error));
        Assert.Equal("u", op.Import!.Registry.Credentials.Username);
        Assert.Equal("", op.Import.Registry.Credentials.Password);
        Assert.Empty((await _engine.Backend.ListImagesAsync(new ImageListQuery(), TestContext.Current.CancellationToken)).Images);
    }

    [Fact]
    public async Task ListOperations_KindAndStatusFilters_NewestFirst()
    {
        var failed = await _engine.Backend.ImportImageAsync(
            new ImportImageMetadata { Registry = new ImageRegistry { Url = $"oci:{_scratch.Combine("none")}" } }, TestContext.Current.CancellationToken);
        await _engine.Backend.WaitForTerminalAsync(failed, TestContext.Current.CancellationToken);
        var second = await _engine.Backend.ImportImageAsync(
            new ImportImageMetadata { Registry = new ImageRegistry { Url = $"oci:{_scratch.Combine("none2")}" } }, TestContext.Current.CancellationToken);
        await _engine.Backend.WaitForTerminalAsync(second, TestContext.Current.CancellationToken);

        var all = await _engine.Backend.ListOperationsAsync(new OperationListQuery { Kind = OperationKind.ImageImport }, TestContext.Current.CancellationToken);
        var none = await _engine.Backend.ListOperationsAsync(new OperationListQuery { Kind = OperationKind.Instance }, TestContext.Current.CancellationToken);
        var failedOnly = await _engine.Backend.ListOperationsAsync(new OperationListQuery { Status = OperationStatus.Failed, Limit = 1 }, TestContext.Current.CancellationToken);

        Assert.Equal([second, failed], all.Operations.Select(o => o.Uuid));
        Assert.Empty(none.Operations);
        Assert.Equal(second, Assert.Single(failedOnly.Operations).Uuid);
    }
}
