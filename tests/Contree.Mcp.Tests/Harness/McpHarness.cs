using System.IO.Pipelines;
using System.Text.Json;
using Contree.Core;
using Contree.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Tests.Harness;

/// <summary>
/// A real McpClient talking to a real McpServer over in-memory pipes (like the SDK's ClientServerTestBase), with
/// the Contree primitives registered exactly as the server does and a <see cref="FakeContreeBackend"/> behind them.
/// Caches live in a unique temp directory that is removed on dispose.
/// </summary>
public sealed class McpHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private Task _serverTask = Task.CompletedTask;

    private McpHarness(FakeContreeBackend backend, string directory)
    {
        Backend = backend;
        Directory = directory;
    }

    public FakeContreeBackend Backend { get; }

    public string Directory { get; }

    public ServiceProvider Services { get; private set; } = null!;

    public McpClient Client { get; private set; } = null!;

    /// <param name="protocolVersion">Protocol the client asks for; null = the SDK's newest.</param>
    /// <param name="logs">Receives the server's log (every level) when given.</param>
    public static async Task<McpHarness> StartAsync(
        Action<ContreeMcpOptions>? configure = null,
        bool pollingOnly = false,
        FakeContreeBackend? backend = null,
        string? protocolVersion = null,
        CapturingLoggerProvider? logs = null)
    {
        var harness = new McpHarness(backend ?? new FakeContreeBackend(), System.IO.Directory.CreateTempSubdirectory("contree-mcp-tests-").FullName);
        await harness.InitializeAsync(configure, pollingOnly, protocolVersion, logs);
        return harness;
    }

    private async Task InitializeAsync(Action<ContreeMcpOptions>? configure, bool pollingOnly, string? protocolVersion, CapturingLoggerProvider? logs)
    {
        var clientToServer = new Pipe();
        var serverToClient = new Pipe();
        var services = new ServiceCollection();
        services.AddLogging(logging =>
        {
            var debug = Environment.GetEnvironmentVariable("HARNESS_DEBUG") is not null;
            logging.SetMinimumLevel(debug || logs is not null ? LogLevel.Trace : LogLevel.Warning);
            if (debug)
            {
                logging.AddConsole();
            }

            if (logs is not null)
            {
                logging.AddProvider(logs);
            }
        });
        services.AddSingleton<IContreeBackend>(pollingOnly ? Backend.AsPollingOnly() : Backend);
        services.AddContreeMcp(options =>
        {
            options.GeneralCachePath = Path.Combine(Directory, "cache.db");
            options.FileCachePath = Path.Combine(Directory, "files.db");
            options.RegistryCredentialsPath = Path.Combine(Directory, "registry-credentials.json");
            configure?.Invoke(options);
        });
        services.AddMcpServer(options => options.ServerInfo = new Implementation { Name = "contree-mcp", Version = "test" })
            .WithStreamServerTransport(clientToServer.Reader.AsStream(), serverToClient.Writer.AsStream())
            .WithContreePrimitives();
        Services = services.BuildServiceProvider();
        var server = Services.GetRequiredService<McpServer>();
        _serverTask = server.RunAsync(_stop.Token);
        Client = await McpClient.CreateAsync(
            new StreamClientTransport(clientToServer.Writer.AsStream(), serverToClient.Reader.AsStream()),
            protocolVersion is null ? null : new McpClientOptions { ProtocolVersion = protocolVersion },
            Services.GetRequiredService<ILoggerFactory>(),
            cancellationToken: TestContext.Current.CancellationToken);
    }

    public T Get<T>()
        where T : notnull => Services.GetRequiredService<T>();

    /// <summary>Calls a tool by its full (prefixed) name.</summary>
    public Task<CallToolResult> CallAsync(string tool, object? arguments = null) => CallWithTokenAsync(tool, arguments, TestContext.Current.CancellationToken);

    /// <summary>Calls a tool by its full name; <paramref name="cancellationToken"/> cancels the MCP request.</summary>
    public async Task<CallToolResult> CallWithTokenAsync(string tool, object? arguments, CancellationToken cancellationToken)
    {
        var dictionary = arguments is null
            ? new Dictionary<string, object?>()
            : JsonSerializer.Deserialize<Dictionary<string, object?>>(JsonSerializer.Serialize(arguments))!;
        return await Client.CallToolAsync(tool, dictionary, cancellationToken: cancellationToken);
    }

    /// <summary>Calls a tool that must succeed and returns its structured content.</summary>
    public async Task<JsonElement> CallOkAsync(string tool, object? arguments = null)
    {
        var result = await CallAsync(tool, arguments);
        Assert.True(result.IsError is not true, $"{tool} failed: {Text(result)}");
        Assert.NotNull(result.StructuredContent);
        var structured = JsonSerializer.SerializeToElement(result.StructuredContent);
        Assert.Equal(JsonDocument.Parse(Text(result)).RootElement.ToString(), structured.ToString());
        return structured;
    }

    /// <summary>Calls a tool that must fail and returns its error text.</summary>
    public async Task<string> CallErrorAsync(string tool, object? arguments = null)
    {
        var result = await CallAsync(tool, arguments);
        Assert.True(result.IsError, $"{tool} unexpectedly succeeded: {Text(result)}");
        return Text(result);
    }

    public static string Text(CallToolResult result) => string.Concat(result.Content.OfType<TextContentBlock>().Select(c => c.Text));

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _stop.CancelAsync();
        try
        {
            await _serverTask;
        }
        catch (OperationCanceledException)
        {
        }

        await Services.DisposeAsync();
        _stop.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
