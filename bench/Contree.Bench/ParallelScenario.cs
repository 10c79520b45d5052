namespace Contree.Bench;

/// <summary>
/// Scenario 3: 50 runs started with wait=false and collected by one <c>contree_wait_operations</c>, against 50
/// sequential wait=true runs; throughput ratio against the core count (the engine runs as many operations at once
/// as there are CPUs by default).
/// </summary>
internal static class ParallelScenario
{
    private const int Batch = 50;

    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var server = context.Server;

        var submits = new List<double>();
        async Task Parallel()
        {
            var submitStart = System.Diagnostics.Stopwatch.GetTimestamp();
            var ids = new List<string>(Batch);
            for (var i = 0; i < Batch; i++)
            {
                var started = await server.CallAsync("contree_run", new Dictionary<string, object?>
                {
                    ["command"] = "echo hi",
                    ["image"] = context.SmallImage,
                    ["wait"] = false,
                }, ct);
                ids.Add(started.GetProperty("operation_id").GetString() ?? throw new BenchException($"run returned no operation_id: {started}"));
            }

            submits.Add(System.Diagnostics.Stopwatch.GetElapsedTime(submitStart).TotalMilliseconds);
            var waited = await server.CallAsync("contree_wait_operations", new Dictionary<string, object?>
            {
                ["operation_ids"] = ids,
                ["timeout"] = 300,
            }, ct);
            var results = waited.GetProperty("results");
            foreach (var id in ids)
            {
                if (!results.TryGetProperty(id, out var result))
                {
                    throw new BenchException($"wait_operations did not return {id}: {waited}");
                }

                BenchContext.CheckRun(result, "echo hi");
            }

            if (waited.GetProperty("timed_out").GetArrayLength() != 0)
            {
                throw new BenchException($"wait_operations timed out: {waited.GetProperty("timed_out")}");
            }
        }

        async Task Sequential()
        {
            for (var i = 0; i < Batch; i++)
            {
                await BenchContext.RunAsync(server, context.SmallImage, "echo hi", disposable: true, ct);
            }
        }

        var parallel = new List<double>();
        var sequential = new List<double>();
        var busy = new List<double>();
        var serverUser = new List<double>();
        var serverSystem = new List<double>();
        var sandboxCpu = new List<double>();
        for (var i = 0; i < context.Options.BatchRepetitions; i++)
        {
            sequential.Add(await Timing.TimeAsync(Sequential));
            var before = CpuSample.Take(server.ProcessId);
            parallel.Add(await Timing.TimeAsync(Parallel));
            var after = CpuSample.Take(server.ProcessId);
            busy.Add(CpuSample.BusyShare(before, after));
            serverUser.Add((after.UserMs - before.UserMs) / Batch);
            serverSystem.Add((after.SystemMs - before.SystemMs) / Batch);
            sandboxCpu.Add((after.ChildrenMs - before.ChildrenMs) / Batch);
        }

        var p = Distribution.Of(parallel);
        var s = Distribution.Of(sequential);
        var speedup = s.Median / p.Median;
        context.Report.Add(new BenchRow("3", $"{Batch} runs wait=false + wait_operations (total)", "ms", p,
            $"{Batch} sequential wait=true runs", s, Ratio: speedup,
            Target: "throughput >= 1.6x sequential", Met: speedup >= 1.6,
            Note: FormattableString.Invariant($"ratio = parallel throughput / sequential throughput; parallel {Batch * 1000 / p.Median:F1} runs/s, sequential {Batch * 1000 / s.Median:F1} runs/s; {Environment.ProcessorCount} cores; starting the {Batch} runs (wait=false calls) took {Distribution.Of(submits).Median:F0} ms of the total; during the batch the machine's CPUs were {Distribution.Of(busy).Median:P0} busy (all processes), per run the server used {Distribution.Of(serverUser).Median:F1} ms of user and {Distribution.Of(serverSystem).Median:F1} ms of system CPU and its sandbox processes {Distribution.Of(sandboxCpu).Median:F1} ms; the ratio can exceed the core count because a sequential run also waits for the client round trip, which the batch overlaps")));
    }
}
