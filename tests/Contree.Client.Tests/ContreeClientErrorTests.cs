using System.Net;
using System.Net.Sockets;
using Contree.Core.Errors;
using Contree.Tests.Common;

namespace Contree.Client.Tests;

public sealed class ContreeClientErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Error_JsonObjectWithError_UsesErrorString()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"error": "Image not found: abc", "code": 7}""", HttpStatusCode.NotFound);

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct));

        Assert.Equal("Image not found: abc", error.Message);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
    }

    [Theory]
    [InlineData("  upstream exploded \n", "upstream exploded")]
    [InlineData("""{"detail": "no error key"}""", """{"detail": "no error key"}""")]
    [InlineData("""["error"]""", """["error"]""")]
    public async Task Error_OtherBodies_UseTrimmedText(string body, string expected)
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => MockHttpHandler.Text(HttpStatusCode.UnprocessableEntity, body));

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct));

        Assert.Equal(expected, error.Message);
        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
    }

    [Fact]
    public async Task Error_EmptyBody_NamesStatusAndRequest()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => new HttpResponseMessage(HttpStatusCode.Forbidden));

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct));

        Assert.Equal($"HTTP 403 Forbidden from GET /inspect/{ClientHarness.ImageUuid}/", error.Message);
        Assert.Equal(ContreeErrorKind.Unauthorized, error.Kind);
    }

    [Fact]
    public async Task Error_HugeTextBody_CutAt4KiB()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => MockHttpHandler.Text(HttpStatusCode.Conflict, new string('e', 100_000)));

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct));

        Assert.Equal(4096 + 1, error.Message.Length);
        Assert.EndsWith("…", error.Message, StringComparison.Ordinal);
        Assert.Equal(ContreeErrorKind.Conflict, error.Kind);
    }

    [Fact]
    public async Task Error_BodyEchoesToken_TokenIsScrubbed()
    {
        using var harness = new ClientHarness();
        harness.RespondJson($$"""{"error": "token {{ClientHarness.Token}} is expired"}""", HttpStatusCode.Unauthorized);

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct));

        Assert.Equal("token *** is expired", error.Message);
    }

    [Fact]
    public async Task Send_ConnectionRefused_ThrowsUnavailableNamingUrl()
    {
        var port = ClosedLoopbackPort();
        using var client = new ContreeClient(
            new HttpClient(),
            new ContreeClientOptions { BaseUrl = $"http://127.0.0.1:{port}/", MaxRetries = 1, RetryBaseDelay = TimeSpan.FromMilliseconds(1) });

        var error = await Assert.ThrowsAsync<ContreeException>(() => client.GetImageAsync(ClientHarness.ImageUuid, Ct));

        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.StartsWith($"Contree API at http://127.0.0.1:{port}/v1 is unreachable: ", error.Message, StringComparison.Ordinal);
        Assert.Contains("refused", error.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Send_NoAnswerWithinTimeout_ThrowsUnavailable()
    {
        using var harness = new ClientHarness(o =>
        {
            o.RequestTimeout = TimeSpan.FromMilliseconds(200);
            o.MaxRetries = 0;
        });
        harness.Handler.RequestHandler = async (_, ct) =>
        {
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        };

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetOperationAsync(ClientHarness.OperationId, Ct));

        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.Equal($"Contree API at https://api.example.com/v1 did not answer GET /operations/{ClientHarness.OperationId} within 0.2 s", error.Message);
    }

    [Fact]
    public async Task Send_CallerCancels_PropagatesOperationCanceled()
    {
        using var harness = new ClientHarness();
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Handler.RequestHandler = async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            throw new InvalidOperationException("unreachable");
        };
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(Ct);

        var call = harness.Client.GetOperationAsync(ClientHarness.OperationId, cts.Token);
        await started.Task.WaitAsync(Ct);
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
        Assert.Single(harness.Requests);
    }

    [Theory]
    [InlineData(400, ContreeErrorKind.InvalidArgument)]
    [InlineData(401, ContreeErrorKind.Unauthorized)]
    [InlineData(404, ContreeErrorKind.NotFound)]
    [InlineData(409, ContreeErrorKind.Conflict)]
    [InlineData(501, ContreeErrorKind.Internal)]
    public async Task Error_Status_MapsToKindAndKeepsStatus(int status, ContreeErrorKind kind)
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"error": "x"}""", (HttpStatusCode)status);

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.CancelOperationAsync(ClientHarness.OperationId, Ct));

        Assert.Equal(kind, error.Kind);
        Assert.Equal(status, error.StatusCode);
    }

    private static int ClosedLoopbackPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }
}
