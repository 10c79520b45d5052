using System.Globalization;

namespace Contree.Bench;

/// <summary>
/// Scenario 10 (extends scenario 7's leak check): 5,000 runs that each print 100 KB, kept whole
/// (<c>truncate_output_at</c> 128 KiB), on a fresh server, two at a time. Resident memory is probed every 100 runs; the
/// figure is memory after all runs against memory after the first 500, which must stay within 1.1×.
/// </summary>
internal static class OutputMemoryScenario
{
    private const int OutputBytes = 100 * 1024;
    private const int ProbeEvery = 100;

    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var total = context.Options.Quick ? 1000 : 5000;
        var firstPart = total / 10;
        var root = context.NewDirectory("memory");
        await using var server = await McpServerSession.StartLocalAsync(context.Options.ServerDll, root, ct);
        var image = await BenchContext.ImportAsync(server, $"oci:{context.Images.Small.Directory}:small", "bench/small", ct);
        var command = $"head -c {OutputBytes} /dev/zero | tr '\\0' x";

        async Task Run()
        {
            var result = await server.CallAsync("contree_run", new Dictionary<string, object?>
            {
                ["command"] = command,
                ["image"] = image,
                ["truncate_output_at"] = 128 * 1024,
                ["wait"] = true,
            }, ct);
            BenchContext.CheckRun(result, command);
            if (result.GetProperty("stdout").GetString()?.Length != OutputBytes)
            {
                throw new BenchException($"a run returned {result.GetProperty("stdout").GetString()?.Length} characters of stdout instead of {OutputBytes}");
            }
        }

        var start = LeakProbe.Take(server.ProcessId, server.DataDirectory);
        var series = new List<double>();
        LeakProbe? afterFirst = null;
        for (var done = 0; done < total; done += ProbeEvery)
        {
            var next = 0;
            async Task Worker()
            {
                while (Interlocked.Increment(ref next) <= ProbeEvery)
                {
                    await Run();
                }
            }

            await Task.WhenAll(Worker(), Worker());
            var probe = LeakProbe.Take(server.ProcessId, server.DataDirectory);
            series.Add(probe.RssMiB);
            if (done + ProbeEvery == firstPart)
            {
                afterFirst = probe;
            }
        }

        var after = LeakProbe.Take(server.ProcessId, server.DataDirectory);
        var first = afterFirst ?? start;
        var ratio = after.RssMiB / first.RssMiB;
        context.Report.Add(new BenchRow("10", $"resident memory after {total} runs of 100 KB output", "MiB", Distribution.Single(after.RssMiB),
            $"after the first {firstPart} runs", Distribution.Single(first.RssMiB), Ratio: ratio,
            Target: "<= 1.1x", Met: ratio <= 1.1,
            Note: string.Create(CultureInfo.InvariantCulture,
                $"at start {start.RssMiB:F1} MiB; every {ProbeEvery} runs: {string.Join(' ', series.Select(static m => m.ToString("F0", CultureInfo.InvariantCulture)))}; fds {start.FileDescriptors}->{after.FileDescriptors}, threads {start.Threads}->{after.Threads}")));
    }
}
