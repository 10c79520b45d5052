using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Contree.Bench;

/// <summary>
/// One real <c>contree-mcp</c> process over stdio, spawned by the MCP C# SDK's <see cref="StdioClientTransport"/>
/// exactly as an agent's client would, with its own HOME, caches and (local backend) data directory so nothing of
/// the machine's configuration leaks in. <see cref="StartupMilliseconds"/> is process spawn to the initialize response.
/// </summary>
internal sealed class McpServerSession : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _stderr = new();
    private McpClient? _client;

    private McpServerSession(string root)
    {
        Root = root;
    }

    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public McpClient Client => _client ?? throw new InvalidOperationException("the server is not connected");

    public double StartupMilliseconds { get; private set; }

    /// <summary>The server's process id (the dotnet host the transport spawned), found through /proc.</summary>
    public int ProcessId { get; private set; }

    public string StandardError => string.Join('\n', _stderr.TakeLast(40));

    /// <summary>Starts a server on the local engine with its data in <c>&lt;root&gt;/data</c>.</summary>
    public static Task<McpServerSession> StartLocalAsync(string serverDll, string root, CancellationToken cancellationToken = default) =>
        StartLocalAsync(serverDll, root, [], cancellationToken);

    /// <summary>As <see cref="StartLocalAsync(string, string, CancellationToken)"/> with more server arguments.</summary>
    public static Task<McpServerSession> StartLocalAsync(string serverDll, string root, string[] arguments, CancellationToken cancellationToken = default) =>
        StartAsync(serverDll, root, ["--backend", "local", "--data-dir", Path.Combine(root, "data"), .. arguments], cancellationToken);

    /// <summary>Starts a server on the cloud backend pointed at <paramref name="url"/>.</summary>
    public static Task<McpServerSession> StartCloudAsync(string serverDll, string root, string url, CancellationToken cancellationToken = default) =>
        StartAsync(serverDll, root, ["--backend", "cloud", "--url", url, "--token", "bench-token"], cancellationToken);

    private static async Task<McpServerSession> StartAsync(string serverDll, string root, string[] backendArguments, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(Path.Combine(root, "home"));
        var session = new McpServerSession(root);
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "contree-bench",
            Command = DotnetHost,
            Arguments =
            [
                serverDll, .. backendArguments,
                "--cache-files", Path.Combine(root, "cache", "files.db"),
                "--cache-general", Path.Combine(root, "cache", "cache.db"),
                "--log-level", "warning",
            ],
            WorkingDirectory = root,
            EnvironmentVariables = ServerEnvironment(root),
            StandardErrorLines = session.Collect,
            ShutdownTimeout = TimeSpan.FromSeconds(20),
        });
        var start = Stopwatch.GetTimestamp();
        try
        {
            session._client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            throw new BenchException($"contree-mcp did not start ({e.Message}); its stderr:\n{session.StandardError}", e);
        }

        session.StartupMilliseconds = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
        session.ProcessId = FindServerProcess(root);
        return session;
    }

    /// <summary>Calls a tool that must succeed and returns its structured result.</summary>
    public async Task<JsonElement> CallAsync(string tool, Dictionary<string, object?> arguments, CancellationToken cancellationToken = default)
    {
        var result = await Client.CallToolAsync(tool, arguments, cancellationToken: cancellationToken);
        if (result.IsError is true || result.StructuredContent is not { } structured)
        {
            var text = string.Concat(result.Content.OfType<TextContentBlock>().Select(static c => c.Text));
            throw new BenchException($"{tool} failed: {text}\nserver stderr:\n{StandardError}");
        }

        // The client already parsed it; copying it again would bill the harness's work to the server.
        return structured;
    }

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            try
            {
                await _client.DisposeAsync();
            }
            catch (Exception e) when (e is IOException or InvalidOperationException or OperationCanceledException)
            {
                // The server is already gone; there is nothing left to close.
            }

            _client = null;
        }
    }

    private void Collect(string line)
    {
        _stderr.Enqueue(line);
        while (_stderr.Count > 200 && _stderr.TryDequeue(out _))
        {
        }
    }

    private static Dictionary<string, string?> ServerEnvironment(string root)
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && name.StartsWith("CONTREE_MCP_", StringComparison.Ordinal))
            {
                environment[name] = null;
            }
        }

        environment["HOME"] = Path.Combine(root, "home");
        environment["XDG_DATA_HOME"] = Path.Combine(root, "home", ".local", "share");
        environment["CONTREE_MCP_CONFIG"] = Path.Combine(root, "home", "no-such-config.ini");
        return environment;
    }

    /// <summary>Our child whose command line names this session's root (the transport does not expose the process).</summary>
    private static int FindServerProcess(string root)
    {
        var self = Environment.ProcessId;
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (cmdline.Contains("contree-mcp", StringComparison.Ordinal) && cmdline.Contains(root, StringComparison.Ordinal) && ParentOf(directory) == self)
                {
                    return pid;
                }
            }
            catch (IOException)
            {
                // The process ended while we looked.
            }
        }

        throw new BenchException($"could not find the contree-mcp process started for {root}");
    }

    private static int ParentOf(string procDirectory)
    {
        // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces, so parse after the last ')'.
        var stat = File.ReadAllText(Path.Combine(procDirectory, "stat"));
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        return int.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture);
    }

    private static string DotnetHost =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
}
