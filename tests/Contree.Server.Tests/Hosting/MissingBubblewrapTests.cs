using System.IO.Pipelines;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Contree.Engine.Runtime;
using Contree.Server.ApiServer;
using Contree.Server.Configuration;
using Contree.Server.Hosting;
using Contree.Tests.Common;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Contree.Server.Tests.Hosting;

/// <summary>
/// The server composed as in production (local engine, MCP primitives, /v1 API) on a host whose bubblewrap path names
/// nothing: a run fails with an error that says what to install, over MCP and over /v1 alike, without the host path.
/// </summary>
public sealed class MissingBubblewrapTests : IDisposable
{
    private const string Expected =
        "the sandbox could not be started: this host cannot execute bubblewrap (bwrap); install the 'bubblewrap' package and retry (the server log names the program that failed)";

    private readonly TestDirectory _home = new();

    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public void Dispose() => _home.Dispose();

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Run_WithoutBubblewrap_FailsSayingWhatToInstallOverMcpAndApi()
    {
        var settings = Settings();
        var missing = _home.Combine("no-such-dir", "bwrap");
        var runtime = new RuntimeOptions { BubblewrapPath = missing, CgroupName = "contree-test-" + Guid.NewGuid().ToString("N")[..12] };
        var layout = _home.Combine("layout");
        OciImageWriter.WriteLayout(layout, (OciImageBuilder.SimpleImage(OciImageBuilder.TarDirectory(BusyboxRootfs.Create(_home.Combine("rootfs")))), "1"));

        string image;
        JsonElement overMcp;
        var toServer = new Pipe();
        var toClient = new Pipe();
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        builder.Services.AddContreeMcpServer(settings).WithStreamServerTransport(toServer.Reader.AsStream(), toClient.Writer.AsStream());
        builder.Services.AddSingleton(runtime);
        using (var host = builder.Build())
        {
            await host.StartAsync(Ct);
            await using (var client = await McpClient.CreateAsync(new StreamClientTransport(toServer.Writer.AsStream(), toClient.Reader.AsStream()), cancellationToken: Ct))
            {
                var import = await CallAsync(client, "contree_import_image", new() { ["registry_url"] = $"oci:{layout}:1" });
                image = import.GetProperty("result_image").GetString()!;
                overMcp = await CallAsync(client, "contree_run", new() { ["command"] = "echo never", ["image"] = image });
            }

            await host.StopAsync(Ct);
        }

        await using var api = ContreeApiServer.Build(
            new ApiSettings { Listen = "127.0.0.1", Port = 0 },
            LogLevel.Warning,
            services =>
            {
                services.AddBackend(settings);
                services.AddSingleton(runtime);
            });
        await api.StartAsync(Ct);
        using var http = new HttpClient { BaseAddress = new Uri(api.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single()) };
        var spawn = await http.PostAsync(
            "/v1/instances", new StringContent(JsonSerializer.Serialize(new { command = "echo never", image }), Encoding.UTF8, "application/json"), Ct);
        var id = (await spawn.Content.ReadFromJsonAsync<JsonElement>(Ct)).GetProperty("uuid").GetString();
        JsonElement overApi;
        while ((overApi = await http.GetFromJsonAsync<JsonElement>($"/v1/operations/{id}", Ct)).GetProperty("status").GetString() is "PENDING" or "EXECUTING")
        {
            // The API has no completion notification; poll as its clients do.
            await Task.Delay(TimeSpan.FromMilliseconds(20), Ct);
        }

        await api.StopAsync(Ct);

        Assert.Equal("FAILED", overMcp.GetProperty("status").GetString());
        Assert.Equal(Expected, overMcp.GetProperty("error").GetString());
        Assert.Equal("FAILED", overApi.GetProperty("status").GetString());
        Assert.Equal(Expected, overApi.GetProperty("error").GetString());
        Assert.DoesNotContain(_home.Path, overMcp.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(_home.Path, overApi.ToString(), StringComparison.Ordinal);
    }

    private ServerSettings Settings()
    {
        var environment = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = _home.Path };
        return SettingsLoader.Load(
            CommandLine.Parse(
            [
                "--backend", "local", "--data-dir", _home.Combine("data"),
                "--cache-files", _home.Combine("cache", "files.db"), "--cache-general", _home.Combine("cache", "cache.db"),
            ]),
            environment.GetValueOrDefault);
    }

    private static async Task<JsonElement> CallAsync(McpClient client, string tool, Dictionary<string, object?> arguments)
    {
        var result = await client.CallToolAsync(tool, arguments, cancellationToken: Ct);
        var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));
        Assert.True(result.IsError is not true, $"{tool} failed: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }
}
