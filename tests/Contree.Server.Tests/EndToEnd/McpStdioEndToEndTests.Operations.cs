using System.Text.Json;
using System.Text.Json.Nodes;
using Contree.Tests.Common;
using ModelContextProtocol.Protocol;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>Asynchronous runs: wait=false, wait_operations (all / any), cancellation, time limits and output limits.</summary>
public sealed partial class McpStdioEndToEndTests
{
    private async Task<string> StartAsync(string command, int timeout = 30)
    {
        var started = await Session.CallOkAsync("contree_run", new { command, image = BaseImage, wait = false, timeout });
        var id = started.GetProperty("operation_id").GetString()!;
        Assert.False(started.TryGetProperty("exit_code", out _), $"wait=false must return at once: {started}");
        return id;
    }

    /// <summary>Polls contree_get_operation until the run's sandbox is up (there is no "started" notification).</summary>
    private async Task<JsonElement> WaitForStatusAsync(string operationId, params string[] statuses)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var op = await Session.CallOkAsync("contree_get_operation", new { operation_id = operationId });
            if (statuses.Contains(op.GetProperty("status").GetString()))
            {
                return op;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task WaitOperations_AllMode_CollectsEveryParallelRun()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            ids.Add(await StartAsync($"sleep 0.{i + 2}; echo run-{i}"));
        }

        var unknown = Guid.NewGuid().ToString("D");
        var waited = await Session.CallOkAsync("contree_wait_operations", new { operation_ids = ids.Append(unknown).Append(ids[0]), mode = "all", timeout = 60 });

        var results = waited.GetProperty("results");
        Assert.Contains(unknown, results.GetProperty(unknown).GetProperty("error").GetString(), StringComparison.Ordinal);
        for (var i = 0; i < ids.Count; i++)
        {
            var result = AssertRan(results.GetProperty(ids[i]));
            Assert.Equal($"run-{i}\n", Stdout(result));
        }

        Assert.Equal(ids.Append(unknown).Order(), waited.GetProperty("completed").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Empty(waited.GetProperty("cancelled").EnumerateArray());
        Assert.Empty(waited.GetProperty("timed_out").EnumerateArray());
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task WaitOperations_AnyMode_FirstFinishedAndOthersCancelledWithTheirSandboxesGone()
    {
        var marker = SandboxProcesses.NewMarker();
        var slow = new[] { await StartAsync($"sleep {marker}; echo 1", timeout: 600), await StartAsync($"sleep {marker}; echo 2", timeout: 600) };
        await WaitForStatusAsync(slow[0], "EXECUTING");
        await WaitForStatusAsync(slow[1], "EXECUTING");
        var fast = await StartAsync("echo fast");

        var waited = await Session.CallOkAsync("contree_wait_operations", new { operation_ids = slow.Append(fast), mode = "any", timeout = 60 });
        var left = SandboxProcesses.With(marker);
        var slowAfter = new[]
        {
            await Session.CallOkAsync("contree_get_operation", new { operation_id = slow[0] }),
            await Session.CallOkAsync("contree_get_operation", new { operation_id = slow[1] }),
        };

        Assert.Equal([fast], waited.GetProperty("completed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("fast\n", Stdout(AssertRan(waited.GetProperty("results").GetProperty(fast))));
        Assert.Equal(slow.Order(), waited.GetProperty("cancelled").EnumerateArray().Select(e => e.GetString()!).Order());
        Assert.Empty(waited.GetProperty("stopping").EnumerateArray());
        Assert.All(slow, id => Assert.Equal("CANCELLED", waited.GetProperty("results").GetProperty(id).GetProperty("status").GetString()));
        Assert.All(slowAfter, op => Assert.Equal("CANCELLED", op.GetProperty("status").GetString()));
        Assert.True(left.Count == 0, $"sandbox processes left after wait_operations returned: {string.Join("; ", left)}");
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task CancelOperation_SleepingRun_CancelledWhenItReturnsAndListed()
    {
        var marker = SandboxProcesses.NewMarker();
        var id = await StartAsync($"sleep {marker}; echo {marker}", timeout: 600);
        await WaitForStatusAsync(id, "EXECUTING");
        await SandboxProcesses.WaitForSleepAsync(marker, TimeSpan.FromSeconds(60), TestContext.Current.CancellationToken);

        var cancel = await Session.CallOkAsync("contree_cancel_operation", new { operation_id = id });
        var left = SandboxProcesses.With(marker);
        var after = await Session.CallOkAsync("contree_get_operation", new { operation_id = id });
        var again = await Session.CallOkAsync("contree_cancel_operation", new { operation_id = id });
        var listed = await Session.CallOkAsync("contree_list_operations", new { status = "CANCELLED", type = "instance" });

        Assert.Equal(id, cancel.GetProperty("operation_id").GetString());
        Assert.True(cancel.GetProperty("cancelled").GetBoolean(), $"cancel_operation: {cancel}");
        Assert.Equal("CANCELLED", cancel.GetProperty("status").GetString());
        Assert.False(cancel.TryGetProperty("message", out _), $"cancel_operation: {cancel}");
        Assert.True(left.Count == 0, $"sandbox processes left after cancel_operation returned: {string.Join("; ", left)}");
        Assert.Equal("CANCELLED", after.GetProperty("status").GetString());
        Assert.Equal("CANCELLED", again.GetProperty("status").GetString());
        Assert.Contains(listed.GetProperty("operations").EnumerateArray(), o => o.GetProperty("operation_id").GetString() == id);
        Assert.All(listed.GetProperty("operations").EnumerateArray(), o => Assert.Equal("CANCELLED", o.GetProperty("status").GetString()));
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_BeyondTimeout_TimedOutWithPartialOutput()
    {
        var run = await RunAsync(new { command = "echo partial; sleep 30; echo never", image = BaseImage, timeout = 1 });

        Assert.Equal("SUCCESS", run.GetProperty("status").GetString());
        Assert.True(run.GetProperty("timed_out").GetBoolean(), $"timeout: {run}");
        Assert.Equal("partial\n", Stdout(run));
        Assert.NotEqual(0, run.GetProperty("exit_code").GetInt32());
        Assert.InRange(run.GetProperty("duration_s").GetDouble(), 0.5, 20);
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_OutputBeyondTruncateOutputAt_CutAndFlagged()
    {
        var run = AssertRan(await RunAsync(new { command = "head -c 20000 /dev/zero | tr '\\0' o; head -c 50 /dev/zero | tr '\\0' e >&2", image = BaseImage, truncate_output_at = 500 }));

        Assert.Equal(500, Stdout(run).Length);
        Assert.Equal(new string('o', 500), Stdout(run));
        Assert.True(run.GetProperty("stdout_truncated").GetBoolean());
        Assert.Equal(new string('e', 50), run.GetProperty("stderr").GetString());
        Assert.False(run.GetProperty("stderr_truncated").GetBoolean());
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task WaitOperations_ShorterThanRun_ReportsTimedOutAndLeavesRunGoing()
    {
        var id = await StartAsync("sleep 600", timeout: 600);
        try
        {
            var waited = await Session.CallOkAsync("contree_wait_operations", new { operation_ids = new[] { id }, mode = "all", timeout = 0.5 });
            var still = await Session.CallOkAsync("contree_get_operation", new { operation_id = id });

            Assert.Equal([id], waited.GetProperty("timed_out").EnumerateArray().Select(e => e.GetString()));
            Assert.Empty(waited.GetProperty("completed").EnumerateArray());
            Assert.Empty(waited.GetProperty("cancelled").EnumerateArray());
            Assert.Contains(still.GetProperty("status").GetString(), (string[])["PENDING", "EXECUTING"]);
        }
        finally
        {
            await Session.CallOkAsync("contree_cancel_operation", new { operation_id = id });
        }

        Assert.Equal("CANCELLED", (await WaitForStatusAsync(id, "CANCELLED", "SUCCESS", "FAILED")).GetProperty("status").GetString());
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_ClientCancelsWaitingCall_OperationCancelledOnBackend()
    {
        // The request and its notifications/cancelled are sent explicitly (MCP "Cancellation" utility) so the test
        // does not depend on how the client library turns a cancelled token into a notification.
        var requestId = new RequestId($"e2e-cancel-{Guid.NewGuid():N}");
        var request = new JsonRpcRequest
        {
            Id = requestId,
            Method = RequestMethods.ToolsCall,
            Params = new JsonObject
            {
                ["name"] = "contree_run",
                ["arguments"] = new JsonObject { ["command"] = "sleep 600", ["image"] = BaseImage, ["timeout"] = 600 },
            },
        };
        using var stopWaiting = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var call = Session.Client.SendRequestAsync(request, stopWaiting.Token);
        var id = await FindExecutingRunAsync();

        await Session.Client.SendMessageAsync(
            new JsonRpcNotification
            {
                Method = NotificationMethods.CancelledNotification,
                Params = new JsonObject { ["requestId"] = requestId.ToString(), ["reason"] = "e2e: the agent gave up" },
            },
            TestContext.Current.CancellationToken);
        var after = await WaitForSettledAsync(id, TimeSpan.FromSeconds(15));
        if (after.GetProperty("status").GetString() is "PENDING" or "EXECUTING")
        {
            // Leave no sandbox behind for the next test even when the product misbehaves.
            await Session.CallOkAsync("contree_cancel_operation", new { operation_id = id });
        }

        await stopWaiting.CancelAsync();
        await Assert.ThrowsAnyAsync<Exception>(() => call);
        Assert.True(
            after.GetProperty("status").GetString() == "CANCELLED",
            $"cancelling a wait=true call must cancel its run: {after}\nserver stderr:\n{Session.Server.StandardError}");
    }

    /// <summary>Polls until the operation is terminal or <paramref name="limit"/> passed; returns the last state.</summary>
    private async Task<JsonElement> WaitForSettledAsync(string operationId, TimeSpan limit)
    {
        var deadline = DateTime.UtcNow + limit;
        var op = await Session.CallOkAsync("contree_get_operation", new { operation_id = operationId });
        while (op.GetProperty("status").GetString() is "PENDING" or "EXECUTING" && DateTime.UtcNow < deadline)
        {
            // Polling: the server reports the backend cancellation only through the operation's state.
            await Task.Delay(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
            op = await Session.CallOkAsync("contree_get_operation", new { operation_id = operationId });
        }

        return op;
    }

    /// <summary>The one instance currently EXECUTING (tests of this class run one at a time).</summary>
    private async Task<string> FindExecutingRunAsync()
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var listed = await Session.CallOkAsync("contree_list_operations", new { status = "EXECUTING", type = "instance" });
            var running = listed.GetProperty("operations").EnumerateArray().Select(o => o.GetProperty("operation_id").GetString()!).ToList();
            if (running.Count > 0)
            {
                return Assert.Single(running);
            }

            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task WaitOperations_BackgroundNonDisposableRun_LineageRecorded()
    {
        const string command = "echo background > /root/bg";
        var id = (await Session.CallOkAsync("contree_run", new { command, image = BaseImage, disposable = false, wait = false })).GetProperty("operation_id").GetString()!;

        var waited = await Session.CallOkAsync("contree_wait_operations", new { operation_ids = new[] { id } });
        var result = AssertRan(waited.GetProperty("results").GetProperty(id));
        var image = result.GetProperty("result_image").GetString()!;
        var lineage = JsonDocument.Parse(await Session.ReadTextAsync($"contree://image/{image}/lineage")).RootElement;

        Assert.True(lineage.GetProperty("is_known").GetBoolean(), $"lineage of a run followed in the background: {lineage}");
        Assert.Equal(BaseImage, lineage.GetProperty("parent").GetProperty("image").GetString());
        var baseLineage = JsonDocument.Parse(await Session.ReadTextAsync($"contree://image/{BaseImage}/lineage")).RootElement;
        var node = Assert.Single(baseLineage.GetProperty("children").EnumerateArray(), c => c.GetProperty("image").GetString() == image);
        Assert.Equal((command, 0), (node.GetProperty("command").GetString(), node.GetProperty("exit_code").GetInt32()));
    }
}
