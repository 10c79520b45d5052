using System.Net;
using System.Text;

namespace Contree.Server.Tests.Support;

/// <summary>
/// A registry on 127.0.0.1 that answers every manifest request with an OCI manifest of the wrong shape (its config
/// size is a string), so an import fails while parsing it.
/// </summary>
internal sealed class MalformedManifestRegistry : IAsyncDisposable
{
    public const string Manifest =
        """{"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json","config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"sha256:0000000000000000000000000000000000000000000000000000000000000000","size":"big"},"layers":[]}""";

    private readonly HttpListener _listener = new();
    private readonly Task _loop;

    public MalformedManifestRegistry()
    {
        Port = FreePort.Next();
        _listener.Prefixes.Add($"http://127.0.0.1:{Port}/");
        _listener.Start();
        _loop = Task.Run(ServeAsync);
    }

    public int Port { get; }

    public string Host => $"127.0.0.1:{Port}";

    private async Task ServeAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException)
            {
                return;
            }

            var manifest = context.Request.Url?.AbsolutePath.Contains("/manifests/", StringComparison.Ordinal) == true;
            var body = Encoding.UTF8.GetBytes(manifest ? Manifest : "{}");
            context.Response.StatusCode = 200;
            context.Response.ContentType = manifest ? "application/vnd.oci.image.manifest.v1+json" : "application/json";
            context.Response.ContentLength64 = body.Length;
            await context.Response.OutputStream.WriteAsync(body);
            context.Response.Close();
        }
    }

    public async ValueTask DisposeAsync()
    {
        _listener.Stop();
        _listener.Close();
        await _loop;
    }
}
