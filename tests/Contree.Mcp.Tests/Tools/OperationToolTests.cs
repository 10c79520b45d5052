using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Mcp.Operations;
using Contree.Mcp.Tests.Harness;
using Contree.Tests.Common;

namespace Contree.Mcp.Tests.Tools;

public sealed class OperationToolTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<string> SpawnAsync(McpHarness h, string command = "echo hi") =>
        h.Backend.SpawnInstanceAsync(new InstanceMetadata { Command = command, Image = h.Backend.AddImage(), Shell = true }, Ct);

    [Fact]
    public async Task WaitOperations_ModeAll_ReturnsEveryResultInCompletionOrder()
    {
        await using var h = await McpHarness.StartAsync();
        var a = await SpawnAsync(h, "a");
        var b = await SpawnAsync(h, "b");

        var result = await h.CallOkAsync("contree_wait_operations", new { operation_ids = new[] { a, b, a } });

        Assert.Equal("a", result.GetProperty("results").GetProperty(a).GetProperty("stdout").GetString());
        Assert.Equal("b", result.GetProperty("results").GetProperty(b).GetProperty("stdout").GetString());
        Assert.Equal(2, result.GetProperty("completed").GetArrayLength());
        Assert.Equal(0, result.GetProperty("cancelled").GetArrayLength());
        Assert.Equal(0, result.GetProperty("timed_out").GetArrayLength());
    }

    [Fact]
    public async Task WaitOperations_ModeAny_CancelsTheOthers()
    {
        await using var h = await McpHarness.StartAsync(pollingOnly: true);
        var fast = await SpawnAsync(h);
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var slow = await SpawnAsync(h);

        var result = await h.CallOkAsync("contree_wait_operations", new { operation_ids = new[] { fast, slow }, mode = "any" });

        Assert.Equal([fast], result.GetProperty("completed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([slow], result.GetProperty("cancelled").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("CANCELLED", result.GetProperty("results").GetProperty(slow).GetProperty("status").GetString());
        Assert.Equal(0, result.GetProperty("stopping").GetArrayLength());
        Assert.Equal(0, result.GetProperty("timed_out").GetArrayLength());
        Assert.Equal(OperationStatus.Cancelled, h.Backend.StatusOf(slow));
    }

    [Fact]
    public async Task WaitOperations_ModeAny_ReportsEachCancelledOperationByItsRealState()
    {
        await using var h = await McpHarness.StartAsync(pollingOnly: true);
        h.Get<OperationTracker>().CancelWait = TimeSpan.FromMilliseconds(500);
        var fast = await SpawnAsync(h);
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true, CancelTakesReads = 2 };
        var stopsSoon = await SpawnAsync(h);
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true, CancelTakesReads = int.MaxValue };
        var neverStops = await SpawnAsync(h);

        var result = await h.CallOkAsync("contree_wait_operations", new { operation_ids = new[] { fast, stopsSoon, neverStops }, mode = "any" });

        var results = result.GetProperty("results");
        Assert.Equal([fast], result.GetProperty("completed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([stopsSoon], result.GetProperty("cancelled").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([neverStops], result.GetProperty("stopping").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("SUCCESS", results.GetProperty(fast).GetProperty("status").GetString());
        Assert.Equal("CANCELLED", results.GetProperty(stopsSoon).GetProperty("status").GetString());
        Assert.Equal("EXECUTING", results.GetProperty(neverStops).GetProperty("status").GetString());
        Assert.Equal(OperationStatus.Executing, h.Backend.StatusOf(neverStops));
    }

    [Fact]
    public async Task WaitOperations_Timeout_ListsRunningOperationsWithoutCancellingThem()
    {
        await using var h = await McpHarness.StartAsync();
        var done = await SpawnAsync(h);
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var running = await SpawnAsync(h);

        var result = await h.CallOkAsync("contree_wait_operations", new { operation_ids = new[] { done, running }, timeout = 0.2 });

        Assert.Equal([done], result.GetProperty("completed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal([running], result.GetProperty("timed_out").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(0, result.GetProperty("cancelled").GetArrayLength());
        Assert.Equal(OperationStatus.Executing, h.Backend.StatusOf(running));
        Assert.Empty(h.Backend.CancelRequests);
    }

    [Fact]
    public async Task WaitOperations_UnknownId_IsReportedWithError()
    {
        await using var h = await McpHarness.StartAsync();

        var result = await h.CallOkAsync("contree_wait_operations", new { operation_ids = new[] { "missing" } });

        Assert.Equal("Operation not found: missing", result.GetProperty("results").GetProperty("missing").GetProperty("error").GetString());
        Assert.Equal(["missing"], result.GetProperty("completed").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("{\"operation_ids\":[]}", "operation_ids must name at least one operation")]
    [InlineData("{\"operation_ids\":[\"x\"],\"mode\":\"some\"}", "mode must be 'all' or 'any', got: some")]
    [InlineData("{\"operation_ids\":[\"x\"],\"timeout\":0}", "timeout must be a positive number of seconds, got: 0")]
    public async Task WaitOperations_InvalidArguments_AreRejected(string json, string expected)
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_wait_operations", System.Text.Json.JsonSerializer.Deserialize<Dictionary<string, object?>>(json));

        Assert.Equal($"Error executing tool contree_wait_operations: {expected}", text);
    }

    [Fact]
    public async Task GetOperation_Running_ThenFinished_ShowsFreshState()
    {
        await using var h = await McpHarness.StartAsync();
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true, Stdout = "done" };
        var id = await SpawnAsync(h);

        var running = await h.CallOkAsync("contree_get_operation", new { operation_id = id });
        Assert.Equal("EXECUTING", running.GetProperty("status").GetString());
        Assert.False(running.TryGetProperty("exit_code", out _));
        h.Backend.Release(id);
        var finished = await h.CallOkAsync("contree_get_operation", new { operation_id = id });

        Assert.Equal("SUCCESS", finished.GetProperty("status").GetString());
        Assert.Equal("done", finished.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task GetOperation_Unknown_ReturnsNotFound()
    {
        await using var h = await McpHarness.StartAsync();

        Assert.Equal("Error executing tool contree_get_operation: Operation not found: nope", await h.CallErrorAsync("contree_get_operation", new { operation_id = "nope" }));
    }

    [Fact]
    public async Task CancelOperation_Running_CancelsIt()
    {
        await using var h = await McpHarness.StartAsync();
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var id = await SpawnAsync(h);

        var result = await h.CallOkAsync("contree_cancel_operation", new { operation_id = id });

        Assert.True(result.GetProperty("cancelled").GetBoolean());
        Assert.Equal("CANCELLED", result.GetProperty("status").GetString());
        Assert.Equal(id, result.GetProperty("operation_id").GetString());
        Assert.False(result.TryGetProperty("message", out _));
    }

    [Fact]
    public async Task CancelOperation_BackendStopsAfterSomeReads_ReturnsCancelledAndGetOperationAgrees()
    {
        // Like the cloud API: DELETE is accepted at once, the operation reaches CANCELLED a few reads later.
        await using var h = await McpHarness.StartAsync(pollingOnly: true);
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true, CancelTakesReads = 3 };
        var id = await SpawnAsync(h);

        var result = await h.CallOkAsync("contree_cancel_operation", new { operation_id = id });
        var after = await h.CallOkAsync("contree_get_operation", new { operation_id = id });

        Assert.Equal("CANCELLED", result.GetProperty("status").GetString());
        Assert.True(result.GetProperty("cancelled").GetBoolean());
        Assert.Equal("CANCELLED", after.GetProperty("status").GetString());
    }

    [Fact]
    public async Task CancelOperation_BackendNeverStops_SaysSoTruthfullyWithinTheBound()
    {
        await using var h = await McpHarness.StartAsync(pollingOnly: true);
        h.Get<OperationTracker>().CancelWait = TimeSpan.FromMilliseconds(300);
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true, CancelTakesReads = int.MaxValue };
        var id = await SpawnAsync(h);

        var result = await h.CallOkAsync("contree_cancel_operation", new { operation_id = id });

        Assert.False(result.GetProperty("cancelled").GetBoolean());
        Assert.Equal("EXECUTING", result.GetProperty("status").GetString());
        var message = result.GetProperty("message").GetString();
        Assert.Contains("Cancel was requested, but the operation had not stopped after 0.3 s (status EXECUTING)", message, StringComparison.Ordinal);
        Assert.Contains("Check again with contree_get_operation", message, StringComparison.Ordinal);
        Assert.Equal([id], h.Backend.CancelRequests);
    }

    [Fact]
    public async Task CancelOperation_Finished_ReportsNotCancelled()
    {
        await using var h = await McpHarness.StartAsync();
        var id = await SpawnAsync(h);

        var result = await h.CallOkAsync("contree_cancel_operation", new { operation_id = id });

        Assert.False(result.GetProperty("cancelled").GetBoolean());
        Assert.Equal("SUCCESS", result.GetProperty("status").GetString());
        Assert.Equal(
            "The operation had already ended with status SUCCESS; nothing was cancelled. Its result is available from contree_get_operation.",
            result.GetProperty("message").GetString());
        Assert.Empty(h.Backend.CancelRequests);
    }

    [Fact]
    public async Task CancelOperation_BackendError_IsReported()
    {
        await using var h = await McpHarness.StartAsync();
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var id = await SpawnAsync(h);
        h.Backend.FailNext(nameof(h.Backend.CancelOperationAsync), ContreeException.Unavailable("Server error"));

        Assert.Equal("Error executing tool contree_cancel_operation: Server error", await h.CallErrorAsync("contree_cancel_operation", new { operation_id = id }));
    }

    [Fact]
    public async Task ListOperations_FiltersByStatusAndType()
    {
        await using var h = await McpHarness.StartAsync();
        var done = await SpawnAsync(h);
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var running = await SpawnAsync(h);

        var all = await h.CallOkAsync("contree_list_operations");
        var executing = await h.CallOkAsync("contree_list_operations", new { status = "executing", type = "instance" });
        var imports = await h.CallOkAsync("contree_list_operations", new { type = "image_import" });

        Assert.Equal([running, done], all.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("operation_id").GetString()));
        Assert.Equal([running], executing.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("operation_id").GetString()));
        Assert.Equal(0, imports.GetProperty("operations").GetArrayLength());
        Assert.Equal("Error executing tool contree_list_operations: type must be instance or image_import; got: vm", await h.CallErrorAsync("contree_list_operations", new { type = "vm" }));
    }

    [Fact]
    public async Task Run_RequestCancelledWhileWaiting_CancelsTheBackendOperation()
    {
        // The tool method is invoked directly with the request's token: in this in-memory harness the SDK 2.3.1 client
        // sent no notifications/cancelled (neither with 2026-07-28 nor 2025-11-25), so the protocol hop is not covered.
        await using var h = await McpHarness.StartAsync(pollingOnly: true);
        var spawned = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        h.Backend.RunHandler = _ =>
        {
            spawned.TrySetResult();
            return new FakeRunOutcome { Hold = true };
        };
        var tool = Microsoft.Extensions.DependencyInjection.ActivatorUtilities.CreateInstance<Contree.Mcp.Tools.RunTools>(h.Services);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var call = tool.RunAsync("sleep 1000", h.Backend.AddImage(), cancellationToken: cancel.Token);
        await spawned.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);

        var id = Assert.Single(h.Backend.OperationIds);
        Assert.Equal(OperationStatus.Cancelled, h.Backend.StatusOf(id));
        Assert.Equal([id], h.Backend.CancelRequests);
    }
}
