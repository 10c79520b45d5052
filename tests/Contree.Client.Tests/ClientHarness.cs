using System.Net;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging;

namespace Contree.Client.Tests;

/// <summary>A <see cref="ContreeClient"/> wired to a <see cref="MockHttpHandler"/>, with the API at https://api.example.com.</summary>
internal sealed class ClientHarness : IDisposable
{
    public const string Token = "test-token-5f1c";
    public const string ImageUuid = "0b7e9f4c-2d1a-4c55-9a57-3f7f3c2b9e10";
    public const string OperationId = "6a1d2a4e-9a0c-4c51-8f5e-0d7b3b6f2c11";

    public ClientHarness(Action<ContreeClientOptions>? configure = null, ILogger<ContreeClient>? logger = null, TimeProvider? timeProvider = null)
    {
        var options = new ContreeClientOptions { BaseUrl = "https://api.example.com", Token = Token };
        configure?.Invoke(options);
        Client = new ContreeClient(new HttpClient(Handler), options, logger, timeProvider);
    }

    public MockHttpHandler Handler { get; } = new();

    public ContreeClient Client { get; }

    public IReadOnlyList<RecordedRequest> Requests => [.. Handler.Requests];

    /// <summary>The one request sent, as "METHOD /path?query".</summary>
    public string SingleRequestLine
    {
        get
        {
            var request = Assert.Single(Handler.Requests);
            return $"{request.Method} {request.Uri.PathAndQuery}";
        }
    }

    public void Respond(Func<HttpRequestMessage, HttpResponseMessage> respond) =>
        Handler.RequestHandler = (request, _) => Task.FromResult(respond(request));

    public void RespondJson(string json, HttpStatusCode status = HttpStatusCode.OK) => Respond(_ => MockHttpHandler.Json(status, json));

    /// <summary>Answers the scripted responses in order, one per request; the last one repeats.</summary>
    public void RespondInSequence(params Func<HttpResponseMessage>[] responses)
    {
        var index = -1;
        Respond(_ => responses[Math.Min(Interlocked.Increment(ref index), responses.Length - 1)]());
    }

    public void Dispose() => Client.Dispose();
}
