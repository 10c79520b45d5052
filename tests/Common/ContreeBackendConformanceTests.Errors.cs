using System.Net;
using System.Net.Sockets;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>Bad requests: each must fail with the right error kind and a message naming the problem, or end FAILED.</summary>
public abstract partial class ContreeBackendConformanceTests
{
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task TagOperations_UnknownImageOrBadTag_NotFoundOrInvalidArgument()
    {
        var unknown = Guid.NewGuid().ToString("D");

        var tagUnknown = await Assert.ThrowsAsync<ContreeException>(() => Backend.TagImageAsync(unknown, UniqueTag("unknown"), Token));
        var untagUnknown = await Assert.ThrowsAsync<ContreeException>(() => Backend.UntagImageAsync(unknown, Token));
        var blankTag = await Assert.ThrowsAsync<ContreeException>(() => Backend.TagImageAsync(BaseImage, "has space", Token));
        var cancelUnknown = await Assert.ThrowsAsync<ContreeException>(() => Backend.CancelOperationAsync(unknown, Token));

        Assert.Equal(ContreeErrorKind.NotFound, tagUnknown.Kind);
        Assert.Contains(unknown, tagUnknown.Message, StringComparison.Ordinal);
        Assert.Equal(ContreeErrorKind.NotFound, untagUnknown.Kind);
        Assert.Equal(ContreeErrorKind.InvalidArgument, blankTag.Kind);
        Assert.Equal(ContreeErrorKind.NotFound, cancelUnknown.Kind);
        Assert.Equal(Fixture.BaseTag, (await Backend.GetImageAsync(BaseImage, Token)).Tag);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_UnknownImageOrFile_RejectedNamingIt()
    {
        var unknownImage = Guid.NewGuid().ToString("D");
        var unknownFile = Guid.NewGuid().ToString("D");

        var image = await SpawnOutcomeAsync(new InstanceMetadata { Command = "true", Image = unknownImage, Shell = true });
        var file = await SpawnOutcomeAsync(new InstanceMetadata
        {
            Command = "true",
            Image = BaseImage,
            Shell = true,
            Files = new Dictionary<string, InstanceFileSpec> { ["/x"] = new() { Uuid = unknownFile } },
        });
        var timeout = await Assert.ThrowsAsync<ContreeException>(() => Backend.SpawnInstanceAsync(
            new InstanceMetadata { Command = "true", Image = BaseImage, Shell = true, Timeout = 0 }, Token));

        Assert.Contains(unknownImage, image, StringComparison.Ordinal);
        Assert.Contains(unknownFile, file, StringComparison.Ordinal);
        Assert.Equal(ContreeErrorKind.InvalidArgument, timeout.Kind);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task ImportImage_MissingLayoutOrDeadRegistry_FailsNamingSource()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"contree-no-such-layout-{Guid.NewGuid():N}");
        int port;
        using (var listener = new TcpListener(IPAddress.Loopback, 0))
        {
            listener.Start();
            port = ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        var layout = await ImportOutcomeAsync($"oci:{missing}:1");
        var registry = await ImportOutcomeAsync($"docker://127.0.0.1:{port}/nothing/here:1");

        Assert.Contains(missing, layout, StringComparison.Ordinal);
        Assert.Contains($"127.0.0.1:{port}", registry, StringComparison.Ordinal);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task ListImages_Paging_DisjointPagesAndBadLimitRejected()
    {
        await CreateChildImageAsync("paging-a");
        await CreateChildImageAsync("paging-b");

        var all = await Backend.ListImagesAsync(new ImageListQuery { Limit = 1000 }, Token);
        var first = await Backend.ListImagesAsync(new ImageListQuery { Limit = 1, Offset = 0 }, Token);
        var second = await Backend.ListImagesAsync(new ImageListQuery { Limit = 1, Offset = 1 }, Token);
        var beyond = await Backend.ListImagesAsync(new ImageListQuery { Limit = 10, Offset = all.Images.Count }, Token);
        var badLimit = await Assert.ThrowsAsync<ContreeException>(() => Backend.ListImagesAsync(new ImageListQuery { Limit = 0 }, Token));

        Assert.True(all.Images.Count >= 3);
        Assert.Equal(all.Images.Count, all.Images.Select(i => i.Uuid).Distinct().Count());
        Assert.Equal(all.Images[0].Uuid, Assert.Single(first.Images).Uuid);
        Assert.Equal(all.Images[1].Uuid, Assert.Single(second.Images).Uuid);
        Assert.Empty(beyond.Images);
        Assert.Equal(ContreeErrorKind.InvalidArgument, badLimit.Kind);
    }

    /// <summary>The error text of a spawn that must not run: thrown at once, or the operation ending FAILED.</summary>
    private async Task<string> SpawnOutcomeAsync(InstanceMetadata request)
    {
        string id;
        try
        {
            id = await Backend.SpawnInstanceAsync(request, Token);
        }
        catch (ContreeException error)
        {
            Assert.Contains(error.Kind, (ContreeErrorKind[])[ContreeErrorKind.NotFound, ContreeErrorKind.InvalidArgument]);
            return error.Message;
        }

        var op = await WaitTerminalAsync(Backend, id, Token);
        Assert.True(op.Status == OperationStatus.Failed, $"the spawn must fail, got {op.Status}");
        return op.Error ?? "";
    }

    /// <summary>The error text of an import that must fail: thrown at once, or the operation ending FAILED.</summary>
    private async Task<string> ImportOutcomeAsync(string url)
    {
        string id;
        try
        {
            id = await Backend.ImportImageAsync(new ImportImageMetadata { Registry = new ImageRegistry { Url = url } }, Token);
        }
        catch (ContreeException error)
        {
            Assert.NotEqual(ContreeErrorKind.Internal, error.Kind);
            return error.Message;
        }

        var op = await WaitTerminalAsync(Backend, id, Token);
        Assert.True(op.Status == OperationStatus.Failed, $"importing {url} must fail, got {op.Status}");
        return op.Error ?? "";
    }
}
