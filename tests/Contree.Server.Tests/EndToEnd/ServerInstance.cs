using System.Collections;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Security.Cryptography;
using System.Text;
using Contree.Server.Tests.Support;
using ModelContextProtocol;
using ModelContextProtocol.Client;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// A private "installation" of the real <c>contree-mcp</c> executable: a temp directory holding the engine's data
/// directory, both caches and a HOME with no config file, so nothing of the machine's own setup leaks in. Starts the
/// server over stdio (through the SDK's <see cref="StdioClientTransport"/>) or over HTTP (a process owned here, which
/// tests may kill). Disposing detaches any overlay mount a killed server left under the directory and removes it.
/// </summary>
internal sealed class ServerInstance : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _stderr = new();
    private readonly List<Process> _processes = [];
    private readonly List<McpSession> _sessions = [];

    public ServerInstance(params string[] extraArguments)
    {
        Root = Directory.CreateTempSubdirectory("contree-e2e-").FullName;
        Directory.CreateDirectory(Path.Combine(Root, "home"));
        ExtraArguments = extraArguments;
    }

    public string Root { get; }

    public string DataDirectory => Path.Combine(Root, "data");

    public IReadOnlyList<string> ExtraArguments { get; }

    /// <summary>The server build copied next to this test assembly by the project reference.</summary>
    public static string ServerDll => Path.Combine(AppContext.BaseDirectory, "contree-mcp.dll");

    /// <summary>The last lines the server wrote to stderr, for failure messages.</summary>
    public string StandardError => string.Join('\n', _stderr.TakeLast(80));

    /// <summary>
    /// Starts the server over stdio and connects a real MCP client to it. Once, under load, the SDK's client gave up on
    /// <c>server/discover</c>, fell back to <c>initialize</c>, and the server, which had answered the discovery meanwhile,
    /// refused it ("Method 'initialize' is not available on protocol version '2026-07-28'"): that handshake race is retried
    /// once with a fresh server.
    /// </summary>
    public async Task<McpSession> StartStdioAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await StartStdioOnceAsync(cancellationToken);
        }
        catch (InvalidOperationException exception) when (exception.InnerException is McpProtocolException protocol
            && protocol.Message.Contains("'initialize' is not available on protocol version", StringComparison.Ordinal))
        {
            return await StartStdioOnceAsync(cancellationToken);
        }
    }

    private async Task<McpSession> StartStdioOnceAsync(CancellationToken cancellationToken)
    {
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "contree-e2e",
            Command = DotnetHost,
            Arguments = [ServerDll, .. Arguments()],
            WorkingDirectory = Root,
            EnvironmentVariables = Environment(),
            StandardErrorLines = Collect,
            ShutdownTimeout = TimeSpan.FromSeconds(20),
        });
        try
        {
            return Track(new McpSession(await McpClient.CreateAsync(transport, cancellationToken: cancellationToken), this));
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            throw new InvalidOperationException($"contree-mcp over stdio did not start: {ex.Message}\nserver stderr:\n{StandardError}", ex);
        }
    }

    /// <summary>Starts <c>--mode http</c> on a free port and connects a Streamable HTTP client to <c>/mcp</c>.</summary>
    public async Task<(McpSession Session, Process Process)> StartHttpAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var process = await StartProcessAsync(
            [ServerDll, "--mode", "http", "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), .. Arguments()], port, cancellationToken);
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
            Name = "contree-e2e-http",
        });
        var client = await McpClient.CreateAsync(transport, cancellationToken: cancellationToken);
        return (Track(new McpSession(client, this)), process);
    }

    /// <summary>Starts the <c>api</c> command (the engine over the Contree /v1 API) on a free port; returns its base URL.</summary>
    public async Task<(Uri BaseUrl, Process Process)> StartApiAsync(CancellationToken cancellationToken)
    {
        var port = FreePort.Next();
        var process = await StartProcessAsync(
            [ServerDll, "api", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--data-dir", DataDirectory, "--log-level", "warning", .. ExtraArguments],
            port,
            cancellationToken);
        return (new Uri($"http://127.0.0.1:{port}"), process);
    }

    private async Task<Process> StartProcessAsync(IEnumerable<string> arguments, int port, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(DotnetHost)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = Root,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in Environment())
        {
            if (value is null)
            {
                start.Environment.Remove(name);
            }
            else
            {
                start.Environment[name] = value;
            }
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("contree-mcp did not start");
        _processes.Add(process);
        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        await WaitForPortAsync(process, port, cancellationToken);
        return process;
    }

    /// <summary>Imports a busybox image (an OCI layout under the instance's root) as <paramref name="tag"/> through a short stdio session.</summary>
    public async Task<string> ImportBusyboxAsync(string tag, CancellationToken cancellationToken)
    {
        var layout = Contree.Tests.Common.OciImageWriter.WriteBusyboxLayout(Root);
        await using var session = await StartStdioAsync(cancellationToken);
        var import = await session.CallOkAsync("contree_import_image", new { registry_url = $"oci:{layout}:1", tag });
        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        return tag;
    }

    /// <summary>
    /// Mounts of this instance, from /proc/self/mountinfo (octal escapes decoded): mount points under its directory, and
    /// run overlays whose upper directory is there (the engine mounts those below its mount root, outside the data
    /// directory).
    /// </summary>
    public IReadOnlyList<string> MountsUnderRoot() =>
        File.ReadLines("/proc/self/mountinfo")
            .Select(static line => line.Split(' ').Select(static field => field.Replace("\\040", " ", StringComparison.Ordinal)).ToArray())
            .Where(fields => fields[4].StartsWith(Root + "/", StringComparison.Ordinal)
                || fields[^1].Contains("upperdir=" + Root + "/", StringComparison.Ordinal))
            .Select(static fields => fields[4])
            .ToList();

    private IEnumerable<string> Arguments() =>
    [
        .. ExtraArguments.Contains("--backend") ? [] : (string[])["--backend", "local", "--data-dir", DataDirectory],
        "--cache-files", Path.Combine(Root, "cache", "files.db"),
        "--cache-general", Path.Combine(Root, "cache", "cache.db"),
        .. ExtraArguments.Contains("--log-level") ? [] : (string[])["--log-level", "warning"],
        .. ExtraArguments,
    ];

    /// <summary>Variables set for the server on top of <see cref="Environment"/>, e.g. CONTREE_HOME; set before starting.</summary>
    public Dictionary<string, string> ExtraEnvironment { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The test's environment minus every CONTREE_* and NEBIUS_* setting (the cloud credentials the Contree tools
    /// share), with a HOME of its own, no config file and no contree-cli profiles, plus <see cref="ExtraEnvironment"/>.
    /// </summary>
    private Dictionary<string, string?> Environment()
    {
        var environment = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string name && (name.StartsWith("CONTREE_", StringComparison.Ordinal) || name.StartsWith("NEBIUS_", StringComparison.Ordinal)))
            {
                environment[name] = null;
            }
        }

        environment["HOME"] = Path.Combine(Root, "home");
        environment["XDG_DATA_HOME"] = Path.Combine(Root, "home", ".local", "share");
        environment["XDG_CONFIG_HOME"] = Path.Combine(Root, "home", ".config");
        environment["CONTREE_MCP_CONFIG"] = Path.Combine(Root, "home", "no-such-config.ini");
        foreach (var (name, value) in ExtraEnvironment)
        {
            environment[name] = value;
        }

        return environment;
    }

    private static string DotnetHost =>
        System.Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";

    private void Collect(string? line)
    {
        if (line is null)
        {
            return;
        }

        _stderr.Enqueue(line);
        while (_stderr.Count > 400 && _stderr.TryDequeue(out _))
        {
        }
    }

    private async Task WaitForPortAsync(Process process, int port, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"contree-mcp exited with {process.ExitCode}: {StandardError}");
            }

            using var probe = new System.Net.Sockets.TcpClient();
            try
            {
                await probe.ConnectAsync(System.Net.IPAddress.Loopback, port, deadline.Token);
                return;
            }
            catch (System.Net.Sockets.SocketException)
            {
            }

            // A starting process gives no readiness signal other than its listening socket.
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }

    private McpSession Track(McpSession session)
    {
        _sessions.Add(session);
        return session;
    }

    public async ValueTask DisposeAsync()
    {
        // Closing a stdio client ends its server (stdin EOF); a test that failed early may not have done it.
        foreach (var session in _sessions)
        {
            await session.DisposeAsync();
        }

        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }

                await process.WaitForExitAsync();
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        // A server killed mid-run leaves its overlay mounted until an engine restarts on this directory.
        foreach (var mountPoint in MountsUnderRoot().OrderByDescending(static m => m.Length))
        {
            using var umount = Process.Start("/bin/umount", ["-l", mountPoint]);
            await umount.WaitForExitAsync();
        }

        // And its mount points below the engine's mount root, which only a clean stop of its engine removes.
        var runsHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Path.Combine(DataDirectory, "runs"))), 0, 8);
        var mountDirectory = Path.Combine("/run/contree-mcp", runsHash);
        if (Directory.Exists(mountDirectory))
        {
            Directory.Delete(mountDirectory, recursive: true);
        }

        Directory.Delete(Root, recursive: true);
    }
}
