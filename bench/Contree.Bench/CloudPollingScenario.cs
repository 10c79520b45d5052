using System.Diagnostics;
using System.Text.Json;

namespace Contree.Bench;

/// <summary>
/// Scenario 8: cloud mode. <c>contree-mcp api</c> serves the local engine over /v1; a second server in cloud mode
/// (the HTTP client) points at it. A run of <c>sleep 0.1</c> stands for 100 ms of backend execution. The figure is
/// the added latency: end-to-end time minus the operation's own duration (<c>duration_s</c>). The tracker polls
/// from 20 ms growing to 1 s; the original polled every second, which is not configurable here, so it is modelled
/// by the client: start with wait=false, then <c>contree_get_operation</c> at once and every 1 s until terminal.
/// </summary>
internal static class CloudPollingScenario
{
    private const string Command = "sleep 0.1";

    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var apiRoot = context.NewDirectory("api");
        await using var api = await ApiServerProcess.StartAsync(context.Options.ServerDll, apiRoot, ct);
        var cloudRoot = context.NewDirectory("cloud");
        await using var cloud = await McpServerSession.StartCloudAsync(context.Options.ServerDll, cloudRoot, api.Url, ct);
        var image = await BenchContext.ImportAsync(cloud, $"oci:{context.Images.Small.Directory}:small", "bench/small", ct);

        async Task<double> Tracked()
        {
            var start = Stopwatch.GetTimestamp();
            var result = await BenchContext.RunAsync(cloud, image, Command, disposable: true, ct);
            return Stopwatch.GetElapsedTime(start).TotalMilliseconds - DurationMs(result);
        }

        async Task<double> FixedPoll()
        {
            var start = Stopwatch.GetTimestamp();
            var started = await cloud.CallAsync("contree_run", new Dictionary<string, object?> { ["command"] = Command, ["image"] = image, ["wait"] = false }, ct);
            var id = started.GetProperty("operation_id").GetString();
            while (true)
            {
                var state = await cloud.CallAsync("contree_get_operation", new Dictionary<string, object?> { ["operation_id"] = id }, ct);
                var status = state.GetProperty("status").GetString();
                if (status is "SUCCESS" or "FAILED" or "CANCELLED")
                {
                    BenchContext.CheckRun(state, Command);
                    return Stopwatch.GetElapsedTime(start).TotalMilliseconds - DurationMs(state);
                }

                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }

        for (var i = 0; i < 3; i++)
        {
            await Tracked();
        }

        var tracked = new List<double>();
        var fixedPoll = new List<double>();
        for (var i = 0; i < context.Options.Repetitions; i++)
        {
            tracked.Add(await Tracked());
            if (i < Math.Max(3, context.Options.Repetitions / 2))
            {
                fixedPoll.Add(await FixedPoll());
            }
        }

        var value = Distribution.Of(tracked);
        context.Report.Add(new BenchRow("8", "cloud: added latency, run of 100 ms (tracker)", "ms", value,
            "fixed 1 s polling (modelled)", Distribution.Of(fixedPoll), Target: "median < 60 ms", Met: value.Median < 60,
            Note: "added latency = end-to-end minus the operation's duration_s; includes the HTTP round trips, not only polling"));

        // For reference: the same command on the local engine, where completion is signalled instead of polled.
        var local = new List<double>();
        for (var i = 0; i < context.Options.Repetitions; i++)
        {
            var start = Stopwatch.GetTimestamp();
            var result = await BenchContext.RunAsync(context.Server, context.SmallImage, Command, disposable: true, ct);
            local.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds - DurationMs(result));
        }

        context.Report.Add(new BenchRow("8", "local engine: added latency, same run (no polling)", "ms", Distribution.Of(local),
            "cloud mode, tracker", value));
    }

    private static double DurationMs(JsonElement result) =>
        result.TryGetProperty("duration_s", out var d) && d.ValueKind == JsonValueKind.Number
            ? d.GetDouble() * 1000
            : throw new BenchException($"run result has no duration_s: {result}");
}
