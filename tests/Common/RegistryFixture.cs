using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;

namespace Contree.Tests.Common;

/// <summary>
/// Debian's <c>docker-registry</c> (distribution 2.8) on 127.0.0.1 and a free port, with its own temp storage,
/// anonymous, with htpasswd Basic auth, or with a Bearer token challenge. In token mode the registry runs
/// <c>auth: silly</c>, which accepts any bearer token, so the fixture's own token endpoint (an HttpListener on
/// 127.0.0.1) is what checks the credentials; <see cref="TokenRequests"/> shows that it was used.
/// </summary>
public sealed class RegistryFixture : IAsyncDisposable
{
    public const string Username = "testuser";
    public const string Password = "testpass";
    public const string TokenService = "contree-test-registry";

    private readonly string _root;
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpListener? _tokenListener;
    private readonly Task? _tokenLoop;
    private int _tokenRequests;

    private RegistryFixture(RegistryAuthMode mode, string root, int port, Process process, HttpListener? tokenListener)
    {
        Mode = mode;
        _root = root;
        Port = port;
        _process = process;
        _tokenListener = tokenListener;
        _tokenLoop = tokenListener is null ? null : Task.Run(ServeTokensAsync);
    }

    public RegistryAuthMode Mode { get; }

    public int Port { get; }

    /// <summary><c>127.0.0.1:&lt;port&gt;</c>, the registry part of an image reference.</summary>
    public string Host => $"127.0.0.1:{Port}";

    public Uri BaseUri => new($"http://{Host}/");

    /// <summary>Token requests answered with a token (valid credentials) by the fixture's token endpoint.</summary>
    public int TokenRequests => Volatile.Read(ref _tokenRequests);

    /// <summary>Query string of the last token request (service and scope).</summary>
    public string? LastTokenQuery { get; private set; }

    /// <summary>What the fixture's own pushes send: Basic credentials, any bearer token (silly), or nothing.</summary>
    public AuthenticationHeaderValue? PushAuthorization => Mode switch
    {
        RegistryAuthMode.Basic => new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"))),
        RegistryAuthMode.Token => new AuthenticationHeaderValue("Bearer", "fixture-push"),
        _ => null,
    };

    /// <summary>Where the registry stores a blob's bytes (to simulate corruption at rest).</summary>
    public string BlobDataPath(string digest)
    {
        var hex = digest["sha256:".Length..];
        return Path.Combine(_root, "data", "docker", "registry", "v2", "blobs", "sha256", hex[..2], hex, "data");
    }

    public static async Task<RegistryFixture> StartAsync(RegistryAuthMode mode, CancellationToken cancellationToken = default)
    {
        var root = Path.Combine(Path.GetTempPath(), "contree-registry-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path.Combine(root, "data"));
        HttpListener? listener = null;
        RegistryFixture? fixture = null;
        try
        {
            var port = FreePort();
            var auth = "";
            if (mode == RegistryAuthMode.Basic)
            {
                var htpasswd = Path.Combine(root, "htpasswd");
                await File.WriteAllTextAsync(htpasswd, await RunAsync("/usr/bin/htpasswd", ["-Bbn", Username, Password], cancellationToken), cancellationToken);
                auth = $"auth:\n  htpasswd:\n    realm: contree-test-realm\n    path: {htpasswd}\n";
            }
            else if (mode == RegistryAuthMode.Token)
            {
                var tokenPort = FreePort();
                listener = new HttpListener();
                listener.Prefixes.Add($"http://127.0.0.1:{tokenPort}/token/");
                listener.Start();
                auth = $"auth:\n  silly:\n    realm: http://127.0.0.1:{tokenPort}/token/\n    service: {TokenService}\n";
            }

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
                  delete:
                    enabled: true
                http:
                  addr: 127.0.0.1:{port}
                {auth}
                """, cancellationToken);

            var start = new ProcessStartInfo("/usr/bin/docker-registry") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add("serve");
            start.ArgumentList.Add(config);
            var process = Process.Start(start) ?? throw new InvalidOperationException("docker-registry did not start");
            fixture = new RegistryFixture(mode, root, port, process, listener);
            process.OutputDataReceived += (_, e) => fixture.Append(e.Data);
            process.ErrorDataReceived += (_, e) => fixture.Append(e.Data);
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            await fixture.WaitUntilReadyAsync(cancellationToken);
            return fixture;
        }
        catch
        {
            if (fixture is not null)
            {
                await fixture.DisposeAsync();
            }
            else
            {
                listener?.Close();
                TryDelete(root);
            }

            throw;
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Length < 64 * 1024)
            {
                _output.AppendLine(line);
            }
        }
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode}: {Output()}");
            }

            try
            {
                // Any HTTP answer (200, or 401 with auth) means the API is up.
                using var response = await http.GetAsync(new Uri(BaseUri, "v2/"), cancellationToken);
                return;
            }
            catch (HttpRequestException) when (DateTime.UtcNow < deadline)
            {
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested && DateTime.UtcNow < deadline)
            {
            }

            // Polling a starting process: there is no readiness signal to wait on.
            await Task.Delay(50, cancellationToken);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.ToString();
        }
    }

    /// <summary>Issues a token for valid Basic credentials, 401 otherwise (distribution token auth spec).</summary>
    private async Task ServeTokensAsync()
    {
        var expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Username}:{Password}"));
        while (_tokenListener!.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _tokenListener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            LastTokenQuery = context.Request.Url?.Query;
            if (context.Request.Headers["Authorization"] == expected)
            {
                Interlocked.Increment(ref _tokenRequests);
                var body = Encoding.UTF8.GetBytes($$"""{"token":"fixture-token-{{Guid.NewGuid():N}}","expires_in":300}""");
                response.StatusCode = 200;
                response.ContentType = "application/json";
                await response.OutputStream.WriteAsync(body);
            }
            else
            {
                response.StatusCode = 401;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            await _process.WaitForExitAsync();
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
        if (_tokenListener is not null)
        {
            _tokenListener.Close();
            await _tokenLoop!;
        }

        TryDelete(_root);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    private static async Task<string> RunAsync(string file, string[] arguments, CancellationToken cancellationToken)
    {
        if (!File.Exists(file))
        {
            throw new InvalidOperationException($"{file} is missing (install apache2-utils)");
        }

        var (code, output, errors) = await HostCommand.RunAsync(file, arguments, cancellationToken);
        return code == 0 ? output : throw new InvalidOperationException($"{file} failed: {errors}");
    }

    private static void TryDelete(string path)
    {
        try
        {
            Directory.Delete(path, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
