namespace Contree.Mcp.Tests.Registry;

/// <summary>Hands out clients over one handler (a scripted one, or a real SocketsHttpHandler).</summary>
public sealed class MockHttpClientFactory(HttpMessageHandler handler) : IHttpClientFactory
{
    public List<string> Names { get; } = [];

    public HttpClient CreateClient(string name)
    {
        Names.Add(name);
        return new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromSeconds(10) };
    }
}
