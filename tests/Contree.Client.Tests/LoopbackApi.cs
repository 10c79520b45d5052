using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Contree.Client.Tests;

/// <summary>
/// A real HTTP server on 127.0.0.1 (HttpListener on a free port) answering through a delegate, for tests that must
/// go through the real socket handler the DI registration builds.
/// </summary>
internal sealed class LoopbackApi : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<HttpListenerRequest, byte[], (int Status, string Body, string? Location)> _respond;
    private readonly Task _loop;

    public LoopbackApi(Func<HttpListenerRequest, byte[], (int Status, string Body, string? Location)> respond)
    {
        _respond = respond;
        Port = FreePort();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string BaseUrl => $"http://127.0.0.1:{Port}";

    /// <summary>"METHOD path?query | Authorization | Content-Type | User-Agent" per request, in arrival order.</summary>
    public ConcurrentQueue<string> Seen { get; } = new();

    /// <summary>Every header of every request, in arrival order (same order as <see cref="Seen"/>).</summary>
    public ConcurrentQueue<System.Collections.Specialized.NameValueCollection> SeenHeaders { get; } = new();

    /// <summary>Extra headers of a response (e.g. Retry-After), chosen per request; none when null.</summary>
    public Func<HttpListenerRequest, IEnumerable<(string Name, string Value)>>? ResponseHeaders { get; init; }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(5));
        }
        catch (AggregateException)
        {
        }
    }

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            using var body = new MemoryStream();
            await context.Request.InputStream.CopyToAsync(body);
            var request = context.Request;
            SeenHeaders.Enqueue(new System.Collections.Specialized.NameValueCollection(request.Headers));
            Seen.Enqueue($"{request.HttpMethod} {request.RawUrl} | {request.Headers["Authorization"]} | {request.ContentType} | {request.UserAgent}");
            var (status, text, location) = _respond(request, body.ToArray());
            context.Response.StatusCode = status;
            foreach (var (name, value) in ResponseHeaders?.Invoke(request) ?? [])
            {
                context.Response.AddHeader(name, value);
            }

            if (location is not null)
            {
                context.Response.RedirectLocation = location;
            }

            var bytes = Encoding.UTF8.GetBytes(text);
            context.Response.ContentType = "application/json";
            context.Response.ContentLength64 = bytes.Length;
            await context.Response.OutputStream.WriteAsync(bytes);
            context.Response.Close();
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
