using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Contree.Core.Json;
using Contree.Server.ApiServer;
using Contree.Server.Configuration;
using Contree.Server.Hosting;
using Contree.Server.Tests.Support;
using Contree.Tests.Common;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ModelContextProtocol.Client;

namespace Contree.Server.Tests.Hosting;

/// <summary>The composition with the real local engine: the MCP server over stdio and the api command in-process.</summary>
public sealed class LocalBackendTests : IDisposable
{
    private readonly TestDirectory _home = new();

    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    public void Dispose() => _home.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Stdio_LocalBackend_ListImagesToolAnswersFromEngine()
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Command = "dotnet",
            Arguments = [ServerExecutable.DllPath, "--backend", "local", "--data-dir", _home.Combine("data")],
            EnvironmentVariables = ServerExecutable.Environment(_home.Path),
            WorkingDirectory = _home.Path,
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: Ct);

        var result = await client.CallToolAsync("contree_list_images", new Dictionary<string, object?>(), cancellationToken: Ct);

        Assert.NotEqual(true, result.IsError);
        var structured = Assert.IsType<JsonElement>(result.StructuredContent);
        Assert.Equal(0, structured.GetProperty("images").GetArrayLength());
        Assert.Contains("local", client.ServerInstructions ?? "", StringComparison.OrdinalIgnoreCase);
        Assert.True(File.Exists(_home.Combine("data", "engine.db")));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task ApiCommand_LocalEngine_ServesFilesAndImages()
    {
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = _home.Path };
        var settings = SettingsLoader.Load(CommandLine.Parse(["api", "--data-dir", _home.Combine("data")]), env.GetValueOrDefault);
        Assert.Equal(BackendKind.Local, settings.Backend);
        var api = new ApiSettings { Listen = "127.0.0.1", Port = 0 };
        await using var app = ContreeApiServer.Build(api, Microsoft.Extensions.Logging.LogLevel.Warning, services => services.AddBackend(settings));
        await app.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };

        var content = RandomNumberGenerator.GetBytes(70_000);
        var upload = await http.PostAsync("/v1/files", new ByteArrayContent(content), Ct);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var file = await upload.Content.ReadFromJsonAsync(ContreeJsonContext.Default.FileResponse, Ct);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(content)), file!.Sha256);
        var images = await http.GetFromJsonAsync("/v1/images", ContreeJsonContext.Default.ImageListResponse, Ct);
        Assert.Empty(images!.Images);
        var missing = await http.GetAsync($"/v1/inspect/{Guid.NewGuid()}/", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        await app.StopAsync(Ct);
    }
}
