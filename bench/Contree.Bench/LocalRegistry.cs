using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Contree.Bench;

/// <summary>Debian's <c>docker-registry</c> (distribution 2.8) on 127.0.0.1 and a free port, anonymous, storage in its own directory.</summary>
internal sealed class LocalRegistry : IAsyncDisposable
{
    private readonly Process _process;

    private LocalRegistry(Process process, int port)
    {
        _process = process;
        Port = port;
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    public static async Task<LocalRegistry> StartAsync(string root, CancellationToken cancellationToken = default)
    {
        var port = FreePort();
        var config = Path.Combine(root, "config.yml");
        await File.WriteAllTextAsync(config, $"""
            version: 0.1
            log:
              level: error
              accesslog:
                disabled: true
            storage:
              filesystem:
                rootdirectory: {Path.Combine(root, "data")}
            http:
              addr: 127.0.0.1:{port}
            """, cancellationToken);
        var start = new ProcessStartInfo("/usr/bin/docker-registry") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("serve");
        start.ArgumentList.Add(config);
        var process = Process.Start(start) ?? throw new BenchException("docker-registry did not start");
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var registry = new LocalRegistry(process, port);
        using var http = new HttpClient();
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                using var response = await http.GetAsync(new Uri($"http://{registry.Host}/v2/"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return registry;
                }
            }
            catch (HttpRequestException) when (attempt < 100 && !process.HasExited)
            {
                // Not listening yet: poll again shortly (a readiness probe, not a measurement).
            }

            if (attempt >= 100 || process.HasExited)
            {
                await registry.DisposeAsync();
                throw new BenchException($"docker-registry on {registry.Host} did not become ready");
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync();
        }

        _process.Dispose();
    }
}
