using System.Text;
using Contree.Core;
using Microsoft.Extensions.DependencyInjection;

namespace Contree.Client.Tests;

public sealed class ClientServiceCollectionExtensionsTests
{
    private const string Uuid = ClientHarness.ImageUuid;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public void AddContreeClient_Resolve_SingletonBackendWithoutOperationCompletion()
    {
        using var provider = new ServiceCollection()
            .AddContreeClient(o => o.BaseUrl = "https://api.example.com")
            .BuildServiceProvider();

        var backend = provider.GetRequiredService<IContreeBackend>();

        Assert.IsType<ContreeClient>(backend);
        Assert.Same(backend, provider.GetRequiredService<IContreeBackend>());
        Assert.False(backend is IOperationCompletion);
        Assert.Null(provider.GetService<IOperationCompletion>());
        Assert.Equal("https://api.example.com/v1", ((ContreeClient)backend).BaseUrl);
    }

    [Fact]
    public async Task AddContreeClient_RealLoopbackServer_FollowsRedirectWithTokenAndStreamsUpload()
    {
        using var api = new LoopbackApi((request, body) => request.Url!.AbsolutePath switch
        {
            "/v1/inspect/" => (302, "", $"/v1/inspect/{Uuid}/"),
            var path when path == $"/v1/inspect/{Uuid}/" => (200, Samples.Image, null),
            "/v1/files" => (201, $$"""{"uuid": "file-{{body.Length}}", "sha256": "{{Samples.Sha256}}"}""", null),
            _ => (404, """{"error": "no such endpoint"}""", null),
        });
        using var provider = new ServiceCollection()
            .AddContreeClient(o =>
            {
                o.BaseUrl = api.BaseUrl + "/";
                o.Token = "loopback-token";
                o.ProductVersion = "9.9.9";
            })
            .BuildServiceProvider();
        var backend = provider.GetRequiredService<IContreeBackend>();

        var image = await backend.GetImageByTagAsync("python:3.11", Ct);
        var file = await backend.UploadFileAsync(new MemoryStream(Encoding.UTF8.GetBytes("hello")), Ct);
        var missing = await backend.FileExistsInImageAsync(Uuid, "/nope", Ct);

        Assert.Equal(Uuid, image.Uuid);
        Assert.Equal("file-5", file.Uuid);
        Assert.False(missing);
        var seen = api.Seen.ToArray();
        Assert.Equal(4, seen.Length);
        Assert.StartsWith("GET /v1/inspect/?tag=python:3.11 | Bearer loopback-token |  | contree-mcp/9.9.9 dotnet/", seen[0], StringComparison.Ordinal);
        Assert.StartsWith($"GET /v1/inspect/{Uuid}/ | Bearer loopback-token |  | ", seen[1], StringComparison.Ordinal);
        Assert.StartsWith("POST /v1/files | Bearer loopback-token | application/octet-stream | ", seen[2], StringComparison.Ordinal);
        Assert.StartsWith($"HEAD /v1/inspect/{Uuid}/download?path=/nope | Bearer loopback-token |  | ", seen[3], StringComparison.Ordinal);
    }
}
