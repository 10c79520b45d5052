using System.Text.Json;
using Contree.Server.Tests.Support;
using ModelContextProtocol.Client;

using Contree.Tests.Common;

namespace Contree.Server.Tests.Hosting;

/// <summary>
/// The executable in stdio mode with the real C# MCP client. The cloud backend points at a closed port, so listing
/// works without any backend (nothing is contacted until a tool needs it).
/// </summary>
public sealed class StdioServerTests : IDisposable
{
    private const string Secret = "stdio-secret-token-771";
    private readonly TestDirectory _home = new();

    public void Dispose() => _home.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private Task<McpClient> ConnectAsync(params string[] extraArgs)
    {
        var env = ServerExecutable.Environment(_home.Path);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "contree-mcp",
            Command = "dotnet",
            Arguments = [ServerExecutable.DllPath, "--backend", "cloud", "--url", "http://127.0.0.1:9", "--token", "x", .. extraArgs],
            EnvironmentVariables = env,
            WorkingDirectory = _home.Path,
        });
        return McpClient.CreateAsync(transport, cancellationToken: Ct);
    }

    [Fact]
    public async Task Initialize_DefaultPrefix_ListsPrefixedToolsPromptsAndResources()
    {
        await using var client = await ConnectAsync();

        Assert.Equal("contree-mcp", client.ServerInfo?.Name);
        Assert.Contains("MANDATORY WORKFLOW", client.ServerInstructions, StringComparison.Ordinal);
        var tools = (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();
        Assert.Contains("contree_run", tools);
        Assert.Contains("contree_list_images", tools);
        Assert.All(tools, name => Assert.StartsWith("contree_", name, StringComparison.Ordinal));
        Assert.NotEmpty(await client.ListPromptsAsync(cancellationToken: Ct));
        Assert.Contains(await client.ListResourcesAsync(cancellationToken: Ct), r => r.Uri == "contree://guide/quickstart");
        Assert.NotEmpty(await client.ListResourceTemplatesAsync(cancellationToken: Ct));
    }

    [Fact]
    public async Task Initialize_EmptyToolPrefix_ListsOriginalNames()
    {
        await using var client = await ConnectAsync("--tool-prefix", "");

        var tools = (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();
        Assert.Contains("run", tools);
        Assert.Contains("list_images", tools);
        Assert.DoesNotContain("contree_run", tools);
    }

    [Fact]
    public async Task Stdout_AtTraceLogLevel_CarriesOnlyJsonRpcAndStderrHasNoToken()
    {
        var env = ServerExecutable.Environment(_home.Path);
        env["CONTREE_MCP_TOKEN"] = Secret;
        using var process = System.Diagnostics.Process.Start(ServerExecutable.StartInfo(
            ["--backend", "cloud", "--url", "http://127.0.0.1:9", "--log-level", "trace"], env))!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""");
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","method":"notifications/initialized"}""");
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":2,"method":"tools/list"}""");
        await process.StandardInput.FlushAsync(Ct);

        var lines = new List<string>();
        while (lines.Count < 2 && await process.StandardOutput.ReadLineAsync(Ct) is { } line)
        {
            lines.Add(line);
        }

        process.StandardInput.Close();
        var rest = await process.StandardOutput.ReadToEndAsync(Ct);
        await process.WaitForExitAsync(Ct);

        Assert.Equal(0, process.ExitCode);
        Assert.Equal(2, lines.Count);
        Assert.All(lines, line => Assert.Equal("2.0", JsonDocument.Parse(line).RootElement.GetProperty("jsonrpc").GetString()));
        Assert.Equal("", rest.Trim());
        var log = await stderr;
        Assert.Contains("[INFO] Starting MCP server in stdio mode", log, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, log, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sigint_WhileServing_ExitsZeroWithGracefulMessage()
    {
        using var process = System.Diagnostics.Process.Start(ServerExecutable.StartInfo(
            ["--backend", "cloud", "--url", "http://127.0.0.1:9", "--token", "x", "--log-level", "info"], ServerExecutable.Environment(_home.Path)))!;
        var stderr = process.StandardError.ReadToEndAsync(Ct);
        await process.StandardInput.WriteLineAsync("""{"jsonrpc":"2.0","id":1,"method":"ping"}""");
        await process.StandardInput.FlushAsync(Ct);
        Assert.NotNull(await process.StandardOutput.ReadLineAsync(Ct));

        using (var kill = System.Diagnostics.Process.Start("kill", ["-INT", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await kill.WaitForExitAsync(Ct);
        }

        await process.WaitForExitAsync(Ct);
        Assert.Equal(0, process.ExitCode);
        Assert.Contains("[INFO] Gracefully exited on keyboard interrupt", await stderr, StringComparison.Ordinal);
    }
}
