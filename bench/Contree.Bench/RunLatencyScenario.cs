using System.Globalization;

namespace Contree.Bench;

/// <summary>
/// Scenario 1: <c>contree_run echo hi</c>, disposable, wait=true, network none, on the small image, against the floor (bench/floor.sh:
/// overlay + bwrap from a shell script). Interleaved in blocks so both see the same machine load. Its runs are also
/// scenario 7's 1,000 runs: the server's memory, fds, threads, mounts and cgroups are counted before and after.
/// </summary>
internal static class RunLatencyScenario
{
    private const int Blocks = 4;

    /// <summary>Runs between two counts of the server's resources (not timed).</summary>
    private const int ProbeEvery = 50;

    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var server = context.Server;
        var lowers = string.Join(':', EngineLayers.Of(server.DataDirectory, context.SmallImage));
        var floorScript = Path.Combine(AppContext.BaseDirectory, "floor.sh");
        var floorRuns = context.NewDirectory("floor");

        async Task Floor(int i)
        {
            var output = await HostProcess.RunAsync("/bin/bash", [floorScript, Path.Combine(floorRuns, "run" + i.ToString(CultureInfo.InvariantCulture)), lowers, "echo hi"], ct);
            if (output != "hi\n")
            {
                throw new BenchException($"floor script printed '{output}' instead of 'hi'");
            }
        }

        async Task Run(int i)
        {
            // Loopback only, like the floor script's bwrap; scenario 11 measures what the internet adds.
            var result = await BenchContext.RunAsync(server, context.SmallImage, "echo hi", disposable: true, network: "none", ct);
            if (result.GetProperty("stdout").GetString() != "hi\n")
            {
                throw new BenchException($"run printed {result.GetProperty("stdout")} instead of 'hi'");
            }
        }

        // Warm both paths (JIT, page cache, first cgroup creation) before anything is counted.
        await Timing.RepeatAsync(0, 5, Run);
        await Timing.RepeatAsync(0, 3, Floor);
        var before = LeakProbe.Take(server.ProcessId, server.DataDirectory);

        var runs = new List<double>();
        var floor = new List<double>();
        var perBlock = context.Options.RunRepetitions / Blocks;
        var floorPerBlock = Math.Max(context.Options.Repetitions, 40) / Blocks * 2;
        LeakProbe? middle = null;
        var probes = new List<LeakProbe> { before };
        for (var block = 0; block < Blocks; block++)
        {
            floor.AddRange(await Timing.RepeatAsync(floorPerBlock, 0, Floor));
            for (var done = 0; done < perBlock; done += ProbeEvery)
            {
                runs.AddRange(await Timing.RepeatAsync(Math.Min(ProbeEvery, perBlock - done), 0, Run));
                probes.Add(LeakProbe.Take(server.ProcessId, server.DataDirectory));
            }

            if (block == Blocks / 2 - 1)
            {
                middle = probes[^1];
            }
        }

        var after = probes[^1];
        var value = Distribution.Of(runs);
        var baseline = Distribution.Of(floor);
        context.DisposableRun = value;
        context.Report.Add(new BenchRow("1", "run echo hi, disposable (end to end)", "ms", value, "floor: overlay+bwrap script", baseline,
            Target: "median < 25 ms and <= 2x floor", Met: value.Median < 25 && value.Median <= 2 * baseline.Median));

        ReportLeaks(context, probes, middle ?? before, runs.Count);
    }

    private static void ReportLeaks(BenchContext context, IReadOnlyList<LeakProbe> probes, LeakProbe middle, int runs)
    {
        var before = probes[0];
        var after = probes[^1];
        var report = context.Report;
        var idle = context.IdleProbe;
        if (idle is not null)
        {
            report.Add(new BenchRow("7", "resident memory, idle after start", "MiB", Distribution.Single(idle.RssMiB),
                Target: "< 100 MiB", Met: idle.RssMiB < 100));
        }

        report.Add(new BenchRow("7", $"resident memory after {runs} more runs", "MiB", Distribution.Single(after.RssMiB),
            "before those runs (warm)", Distribution.Single(before.RssMiB),
            Note: $"half-way {middle.RssMiB:F1} MiB; growth in the second half {after.RssMiB - middle.RssMiB:F1} MiB"));

        // Counts that must not grow. Pools (threads, HTTP/SQLite connections) fill up early and some descriptors are
        // only closed when the GC finalizes their owners, so the count wanders between probes. A per-run leak raises
        // its floor: the lowest count of the second half may not exceed the lowest of the first half by more than a
        // small tolerance. Mounts, cgroups and run directories get no tolerance: no run is in flight when they are
        // counted.
        var half = probes.Count / 2;
        var fdGrowth = after.FileDescriptors - before.FileDescriptors;
        var fdFirstMin = probes.Take(half).Min(static p => p.FileDescriptors);
        var fdSecondMin = probes.Skip(half).Min(static p => p.FileDescriptors);
        var threadFirstMin = probes.Take(half).Min(static p => p.Threads);
        var threadSecondMin = probes.Skip(half).Min(static p => p.Threads);
        var leaked = fdSecondMin > fdFirstMin + 4 || threadSecondMin > threadFirstMin + 4
            || probes.Any(p => p.Mounts > before.Mounts || p.Cgroups > before.Cgroups || p.RunDirectories > 0);
        var fdSeries = string.Join(' ', probes.Select(static p => p.FileDescriptors));
        report.Add(new BenchRow("7", $"fd growth over {runs} runs (leak check)", "count", Distribution.Single(fdGrowth),
            Target: "nothing leaked", Met: !leaked,
            Note: string.Create(CultureInfo.InvariantCulture,
                $"fds every {ProbeEvery} runs: {fdSeries} (lowest {fdFirstMin} in the first half, {fdSecondMin} in the second); threads {before.Threads}->{after.Threads}, mounts under data dir {before.Mounts}->{after.Mounts}, run cgroups {before.Cgroups}->{after.Cgroups}, run dirs left {after.RunDirectories}; fd kinds changed overall: {LeakProbe.FdChanges(before, after)}")));
    }
}
