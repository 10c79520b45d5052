using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Contree.Bench;

/// <summary><c>contree-mcp api</c>: the local engine served over the Contree /v1 HTTP API on 127.0.0.1 and a free port.</summary>
internal sealed class ApiServerProcess : IAsyncDisposable
{
    private readonly Process _process;

    private ApiServerProcess(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Url => $"http://127.0.0.1:{Port}";

    public static async Task<ApiServerProcess> StartAsync(string serverDll, string root, CancellationToken cancellationToken = default)
    {
        var port = LocalRegistry.FreePort();
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        var start = new ProcessStartInfo(dotnet)
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = root,
        };
        foreach (var argument in new[]
        {
            serverDll, "api", "--port", port.ToString(CultureInfo.InvariantCulture), "--backend", "local",
            "--data-dir", Path.Combine(root, "data"), "--log-level", "warning",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Directory.CreateDirectory(Path.Combine(root, "home"));
        start.Environment["HOME"] = Path.Combine(root, "home");
        start.Environment["CONTREE_MCP_CONFIG"] = Path.Combine(root, "home", "no-such-config.ini");
        foreach (var name in start.Environment.Keys.Where(static k => k.StartsWith("CONTREE_MCP_", StringComparison.Ordinal) && k != "CONTREE_MCP_CONFIG").ToList())
        {
            start.Environment.Remove(name);
        }

        var process = Process.Start(start) ?? throw new BenchException("contree-mcp api did not start");
        var stderr = new System.Collections.Concurrent.ConcurrentQueue<string>();
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                stderr.Enqueue(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var api = new ApiServerProcess(process, port);
        for (var attempt = 0; attempt < 200; attempt++)
        {
            if (process.HasExited)
            {
                break;
            }

            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", port, cancellationToken);
                return api;
            }
            catch (SocketException)
            {
                // Not listening yet: a readiness probe, not a measurement.
                await Task.Delay(50, cancellationToken);
            }
        }

        await api.DisposeAsync();
        throw new BenchException($"contree-mcp api did not listen on {port}: {string.Join('\n', stderr)}");
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            // SIGTERM lets the engine shut down cleanly (docs/configuration.md: exit 0 on SIGTERM).
            try
            {
                await HostProcess.RunAsync("/bin/kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]);
            }
            catch (BenchException)
            {
                // It ended meanwhile.
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }

        _process.Dispose();
    }
}
