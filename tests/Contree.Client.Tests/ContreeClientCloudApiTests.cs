using System.Globalization;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Contree.Client.Tests;

/// <summary>
/// The Contree service as it is today, seen by a recording HTTP server on loopback: the project header of iam
/// authentication, 425/429 with Retry-After, the ASSIGNED status and 409 on a cancel of a finished operation.
/// </summary>
public sealed class ContreeClientCloudApiTests
{
    private const string OpId = ClientHarness.OperationId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static ServiceProvider Provider(LoopbackApi api, Action<ContreeClientOptions> configure, TimeProvider? time = null)
    {
        var services = new ServiceCollection();
        if (time is not null)
        {
            services.AddSingleton(time);
        }

        return services.AddContreeClient(o =>
        {
            o.BaseUrl = api.BaseUrl;
            o.Token = "tok-1";
            configure(o);
        }).BuildServiceProvider();
    }

    private static string Operation(string status) => $$"""{"uuid": "{{OpId}}", "kind": "instance", "status": "{{status}}"}""";

    [Fact]
    public async Task Requests_WithProject_CarryBearerAndProjectHeader()
    {
        using var api = new LoopbackApi((request, _) => request.HttpMethod == "POST" ? (202, $$"""{"uuid": "{{OpId}}"}""", null) : (200, Operation("EXECUTING"), null));
        using var provider = Provider(api, o => o.Project = "project-e00a");
        var backend = provider.GetRequiredService<IContreeBackend>();

        await backend.SpawnInstanceAsync(new InstanceMetadata { Command = "true", Image = ClientHarness.ImageUuid }, Ct);
        await backend.GetOperationAsync(OpId, Ct);

        var headers = api.SeenHeaders.ToArray();
        Assert.Equal(2, headers.Length);
        Assert.All(headers, h =>
        {
            Assert.Equal("Bearer tok-1", h["Authorization"]);
            Assert.Equal("project-e00a", h[ContreeClientOptions.ProjectHeader]);
        });
        Assert.Equal("Project", ContreeClientOptions.ProjectHeader);
    }

    [Fact]
    public async Task Requests_WithoutProject_CarryTheBearerOnly()
    {
        using var api = new LoopbackApi((_, _) => (200, Operation("EXECUTING"), null));
        using var provider = Provider(api, _ => { });

        await provider.GetRequiredService<IContreeBackend>().GetOperationAsync(OpId, Ct);

        var headers = Assert.Single(api.SeenHeaders);
        Assert.Equal("Bearer tok-1", headers["Authorization"]);
        Assert.Null(headers[ContreeClientOptions.ProjectHeader]);
    }

    [Fact]
    public void Options_ProjectWithWhitespace_Refused()
    {
        var error = Assert.Throws<ContreeException>(() => new ContreeClient(new HttpClient(), new ContreeClientOptions { Project = "a b" }));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
    }

    [Theory]
    [InlineData(425)]
    [InlineData(429)]
    public async Task Post_RejectedUnprocessed_RetriedWithRetryAfterSeconds(int status)
    {
        var posts = 0;
        using var api = new LoopbackApi((_, _) => Interlocked.Increment(ref posts) <= 2 ? (status, """{"error": "slow down"}""", null) : (202, $$"""{"uuid": "{{OpId}}"}""", null))
        {
            ResponseHeaders = _ => Volatile.Read(ref posts) <= 2 ? [("Retry-After", "1")] : [],
        };
        var time = new RecordingTimeProvider();
        using var provider = Provider(api, o => o.RetryMaxDelay = TimeSpan.FromSeconds(5), time);

        var id = await provider.GetRequiredService<IContreeBackend>().SpawnInstanceAsync(new InstanceMetadata { Command = "true", Image = ClientHarness.ImageUuid }, Ct);

        Assert.Equal(OpId, id);
        Assert.Equal(3, api.Seen.Count);
        Assert.All(api.Seen, line => Assert.StartsWith("POST /v1/instances ", line, StringComparison.Ordinal));
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1)], time.Delays.ToArray());
    }

    [Fact]
    public async Task Get_429WithRetryAfterDate_WaitsUntilThenCappedByTheBound()
    {
        var requests = 0;
        var until = DateTimeOffset.UtcNow.AddSeconds(10);
        using var api = new LoopbackApi((_, _) => Interlocked.Increment(ref requests) == 1 ? (429, """{"error": "rate limited"}""", null) : (200, Operation("ASSIGNED"), null))
        {
            ResponseHeaders = _ => Volatile.Read(ref requests) == 1 ? [("Retry-After", until.ToString("r", CultureInfo.InvariantCulture))] : [],
        };
        var time = new RecordingTimeProvider();
        using var provider = Provider(api, o => o.RetryMaxDelay = TimeSpan.FromSeconds(30), time);

        var operation = await provider.GetRequiredService<IContreeBackend>().GetOperationAsync(OpId, Ct);

        Assert.Equal(OperationStatus.Assigned, operation.Status);
        var delay = Assert.Single(time.Delays);
        Assert.InRange(delay.TotalSeconds, 7, 10);
    }

    [Fact]
    public async Task Get_429Forever_GivesUpAfterMaxRetriesWithTheStatus()
    {
        using var api = new LoopbackApi((_, _) => (429, """{"error": "rate limited"}""", null)) { ResponseHeaders = _ => [("Retry-After", "120")] };
        var time = new RecordingTimeProvider();
        using var provider = Provider(api, o => o.MaxRetries = 2, time);

        var error = await Assert.ThrowsAsync<ContreeException>(() => provider.GetRequiredService<IContreeBackend>().GetOperationAsync(OpId, Ct));

        Assert.Equal(429, error.StatusCode);
        Assert.Equal(3, api.Seen.Count);
        // Retry-After beyond the bound is capped at RetryMaxDelay (400 ms by default).
        Assert.Equal([TimeSpan.FromMilliseconds(400), TimeSpan.FromMilliseconds(400)], time.Delays.ToArray());
    }

    [Fact]
    public async Task Post_503_StillSentOnce()
    {
        using var api = new LoopbackApi((_, _) => (503, """{"error": "busy"}""", null));
        using var provider = Provider(api, _ => { });

        await Assert.ThrowsAsync<ContreeException>(() =>
            provider.GetRequiredService<IContreeBackend>().SpawnInstanceAsync(new InstanceMetadata { Command = "true", Image = ClientHarness.ImageUuid }, Ct));

        Assert.Single(api.Seen);
    }

    [Fact]
    public async Task Cancel_409ForAFinishedOperation_ReportsItsFinalStateWithoutError()
    {
        using var api = new LoopbackApi((request, _) => request.HttpMethod == "DELETE"
            ? (409, """{"error": "operation already finished"}""", null)
            : (200, Operation("SUCCESS"), null));
        using var provider = Provider(api, _ => { });
        var backend = provider.GetRequiredService<IContreeBackend>();

        await backend.CancelOperationAsync(OpId, Ct);

        var seen = api.Seen.Select(line => line[..line.IndexOf(" |", StringComparison.Ordinal)]).ToList();
        Assert.Equal([$"DELETE /v1/operations/{OpId}", $"GET /v1/operations/{OpId}"], seen);
    }

    [Fact]
    public async Task Cancel_409ForARunningOperation_StaysAConflict()
    {
        using var api = new LoopbackApi((request, _) => request.HttpMethod == "DELETE"
            ? (409, """{"error": "busy"}""", null)
            : (200, Operation("EXECUTING"), null));
        using var provider = Provider(api, _ => { });

        var error = await Assert.ThrowsAsync<ContreeException>(() => provider.GetRequiredService<IContreeBackend>().CancelOperationAsync(OpId, Ct));

        Assert.Equal(409, error.StatusCode);
    }

    [Fact]
    public async Task Cancel_AssignedIsNotTerminal_PollsUntilCancelled()
    {
        var reads = 0;
        using var api = new LoopbackApi((request, _) => request.HttpMethod == "DELETE"
            ? (204, "", null)
            : (200, Operation(Interlocked.Increment(ref reads) <= 2 ? "ASSIGNED" : "CANCELLED"), null));
        using var client = new ContreeClient(new HttpClient(), new ContreeClientOptions { BaseUrl = api.BaseUrl });

        await client.CancelOperationAsync(OpId, Ct);

        Assert.Equal(3, reads);
        Assert.False(OperationStatus.Assigned.IsTerminal());
    }
}
