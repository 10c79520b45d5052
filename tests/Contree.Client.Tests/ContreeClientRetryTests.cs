using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Tests.Common;

namespace Contree.Client.Tests;

public sealed class ContreeClientRetryTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Get_503Then503Then200_SucceedsAfterThreeRequests()
    {
        using var harness = new ClientHarness();
        harness.RespondInSequence(
            () => MockHttpHandler.Json(HttpStatusCode.ServiceUnavailable, """{"error": "busy"}"""),
            () => MockHttpHandler.Json(HttpStatusCode.ServiceUnavailable, """{"error": "busy"}"""),
            () => MockHttpHandler.Json(HttpStatusCode.OK, Samples.Image));

        var image = await harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct);

        Assert.Equal(ClientHarness.ImageUuid, image.Uuid);
        Assert.Equal(3, harness.Requests.Count);
    }

    [Fact]
    public async Task PostInstances_500_SentOnce()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"error": "Internal server error"}""", HttpStatusCode.InternalServerError);

        var error = await Assert.ThrowsAsync<ContreeException>(
            () => harness.Client.SpawnInstanceAsync(new InstanceMetadata { Command = "true", Image = ClientHarness.ImageUuid }, Ct));

        Assert.Equal("Internal server error", error.Message);
        Assert.Equal(500, error.StatusCode);
        Assert.Single(harness.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.NotFound)]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Unauthorized)]
    [InlineData(HttpStatusCode.Conflict)]
    public async Task Get_ClientError_NotRetried(HttpStatusCode status)
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"error": "no"}""", status);

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetOperationAsync(ClientHarness.OperationId, Ct));

        Assert.Equal((int)status, error.StatusCode);
        Assert.Equal(ContreeException.KindFromStatus((int)status), error.Kind);
        Assert.Single(harness.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task Get_TransientStatus_RetriedUpToMaxRetries(HttpStatusCode status)
    {
        using var harness = new ClientHarness(o => o.MaxRetries = 2);
        harness.Respond(_ => new HttpResponseMessage(status));

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetOperationAsync(ClientHarness.OperationId, Ct));

        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.Equal(3, harness.Requests.Count);
    }

    [Fact]
    public async Task Get_RetryAfterHeader_UsedAsDelayCappedAtMax()
    {
        var time = new RecordingTimeProvider();
        using var harness = new ClientHarness(o => o.RetryMaxDelay = TimeSpan.FromSeconds(2), timeProvider: time);
        harness.RespondInSequence(
            () => WithRetryAfter(TimeSpan.FromSeconds(1)),
            () => WithRetryAfter(TimeSpan.FromSeconds(30)),
            () => MockHttpHandler.Json(HttpStatusCode.OK, Samples.Image));

        await harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct);

        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], time.Delays.ToArray());
        Assert.Equal(3, harness.Requests.Count);
    }

    [Fact]
    public async Task Get_NoRetryAfter_BackoffStaysWithinExponentialCeiling()
    {
        var time = new RecordingTimeProvider();
        using var harness = new ClientHarness(o =>
        {
            o.MaxRetries = 5;
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(300);
        }, timeProvider: time);
        harness.Respond(_ => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable));

        await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct));

        var delays = time.Delays.ToArray();
        Assert.Equal(5, delays.Length);
        double[] ceilings = [100, 200, 300, 300, 300];
        for (var i = 0; i < delays.Length; i++)
        {
            Assert.InRange(delays[i].TotalMilliseconds, 0, ceilings[i]);
        }
    }

    [Fact]
    public void BackoffDelay_ManyDraws_NeverBelowOneMillisecondNorAboveTheCeiling()
    {
        using var harness = new ClientHarness(o =>
        {
            o.RetryBaseDelay = TimeSpan.FromMilliseconds(100);
            o.RetryMaxDelay = TimeSpan.FromMilliseconds(300);
        });

        // Task.Delay truncates to whole milliseconds: a draw under 1 ms would be a retry without any wait.
        var draws = Enumerable.Range(0, 2000).Select(i => harness.Client.BackoffDelay(1 + (i % 4), retryAfter: null).TotalMilliseconds).ToList();

        Assert.All(draws, d => Assert.InRange(d, 1, 300));
        Assert.InRange(draws.Where((_, i) => i % 4 == 0).Max(), 1, 100);
    }

    [Fact]
    public async Task Get_FailingWithDefaults_SurfacesQuickly()
    {
        using var harness = new ClientHarness(o => o.MaxRetries = new ContreeClientOptions().MaxRetries);
        harness.RespondJson("""{"error": "Internal server error"}""", HttpStatusCode.InternalServerError);
        var stopwatch = Stopwatch.StartNew();

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetOperationAsync(ClientHarness.OperationId, Ct));

        // Upper sanity bound only: the default budget (3 retries, 50 ms base, 400 ms cap) is at most 1.2 s by
        // construction and about 0.35 s in expectation.
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(3), $"took {stopwatch.Elapsed}");
        Assert.Equal("Internal server error", error.Message);
        Assert.Equal(4, harness.Requests.Count);
    }

    [Fact]
    public async Task Get_TransportFailureThenSuccess_Retried()
    {
        using var harness = new ClientHarness();
        var calls = 0;
        harness.Handler.RequestHandler = (_, _) => Interlocked.Increment(ref calls) == 1
            ? throw new HttpRequestException("Connection reset by peer")
            : Task.FromResult(MockHttpHandler.Json(HttpStatusCode.OK, Samples.Image));

        var image = await harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct);

        Assert.Equal(ClientHarness.ImageUuid, image.Uuid);
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task Post_TransportFailure_NotRetriedAndSaysSo()
    {
        using var harness = new ClientHarness();
        var calls = 0;
        harness.Handler.RequestHandler = (_, _) =>
        {
            Interlocked.Increment(ref calls);
            throw new HttpRequestException(HttpRequestError.ConnectionError, "Connection reset by peer (api.example.com:443)", new SocketException((int)SocketError.ConnectionReset));
        };

        var error = await Assert.ThrowsAsync<ContreeException>(
            () => harness.Client.SpawnInstanceAsync(new InstanceMetadata { Command = "true", Image = ClientHarness.ImageUuid }, Ct));

        Assert.Equal(1, calls);
        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.Contains("https://api.example.com/v1 is unreachable: the connection was reset", error.Message, StringComparison.Ordinal);
        Assert.Contains("not retried", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagPatch_503_IsRetried()
    {
        using var harness = new ClientHarness();
        harness.RespondInSequence(
            () => new HttpResponseMessage(HttpStatusCode.ServiceUnavailable),
            () => MockHttpHandler.Json(HttpStatusCode.OK, Samples.Image));

        await harness.Client.TagImageAsync(ClientHarness.ImageUuid, "python:3.11", Ct);

        var requests = harness.Requests;
        Assert.Equal(2, requests.Count);
        Assert.All(requests, r => Assert.Equal("""{"tag":"python:3.11"}""", r.BodyText));
    }

    private static HttpResponseMessage WithRetryAfter(TimeSpan delay)
    {
        var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        response.Headers.RetryAfter = new RetryConditionHeaderValue(delay);
        return response;
    }
}
