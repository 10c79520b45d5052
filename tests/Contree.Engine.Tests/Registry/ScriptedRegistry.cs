using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Registry;

/// <summary>
/// A minimal registry on 127.0.0.1 for what distribution 2.8 on the filesystem driver cannot do: it requires Basic
/// auth, serves one image, and redirects every blob (307) to a second "storage" origin that records the
/// Authorization headers it receives.
/// </summary>
internal sealed class ScriptedRegistry : IDisposable
{
    private readonly HttpListener _registry = new();
    private readonly HttpListener _storage = new();
    private readonly Task _registryLoop;
    private readonly Task _storageLoop;
    private readonly OciTestImage _image;
    private readonly string _basic;

    public ScriptedRegistry(OciTestImage image, string username, string password)
    {
        _image = image;
        _basic = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{password}"));
        RegistryPort = FreePort();
        StoragePort = FreePort();
        _registry.Prefixes.Add($"http://127.0.0.1:{RegistryPort}/");
        _storage.Prefixes.Add($"http://127.0.0.1:{StoragePort}/");
        _registry.Start();
        _storage.Start();
        _registryLoop = Task.Run(() => ServeAsync(_registry, HandleRegistryAsync));
        _storageLoop = Task.Run(() => ServeAsync(_storage, HandleStorageAsync));
    }

    public int RegistryPort { get; }

    public int StoragePort { get; }

    /// <summary>Authorization header values (or "none") of every request that reached the storage origin.</summary>
    public ConcurrentQueue<string> StorageAuthorizations { get; } = new();

    private static async Task ServeAsync(HttpListener listener, Func<HttpListenerContext, Task> handle)
    {
        while (listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var response = context.Response;
            await handle(context);
        }
    }

    private async Task HandleRegistryAsync(HttpListenerContext context)
    {
        var response = context.Response;
        if (context.Request.Headers["Authorization"] != _basic)
        {
            response.StatusCode = 401;
            response.AddHeader("WWW-Authenticate", "Basic realm=\"scripted\"");
            return;
        }

        var path = context.Request.Url!.AbsolutePath;
        if (path == "/v2/app/manifests/1")
        {
            response.ContentType = _image.Manifest.MediaType;
            response.AddHeader("Docker-Content-Digest", _image.Manifest.Digest);
            await response.OutputStream.WriteAsync(_image.Manifest.Data);
            return;
        }

        if (path.StartsWith("/v2/app/blobs/", StringComparison.Ordinal))
        {
            response.StatusCode = 307;
            response.RedirectLocation = $"http://127.0.0.1:{StoragePort}/storage/{path["/v2/app/blobs/".Length..]}";
            return;
        }

        response.StatusCode = 404;
    }

    private async Task HandleStorageAsync(HttpListenerContext context)
    {
        StorageAuthorizations.Enqueue(context.Request.Headers["Authorization"] ?? "none");
        var digest = context.Request.Url!.AbsolutePath["/storage/".Length..];
        var blob = _image.Blobs.FirstOrDefault(b => b.Digest == Uri.UnescapeDataString(digest));
        if (blob is null)
        {
            context.Response.StatusCode = 404;
            return;
        }

        context.Response.ContentType = "application/octet-stream";
        await context.Response.OutputStream.WriteAsync(blob.Data);
    }

    private static int FreePort()
    {
        using var socket = new TcpListener(IPAddress.Loopback, 0);
        socket.Start();
        return ((IPEndPoint)socket.LocalEndpoint).Port;
    }

    public void Dispose()
    {
        _registry.Close();
        _storage.Close();
        Task.WaitAll(_registryLoop, _storageLoop);
    }
}
