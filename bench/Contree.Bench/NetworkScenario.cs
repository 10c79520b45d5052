namespace Contree.Bench;

/// <summary>
/// Scenario 11: what a run's network costs: <c>echo hi</c> with <c>network: "internet"</c> (a network namespace with
/// nftables rules and slirp4netns per run) against <c>network: "none"</c>, interleaved in blocks on the same server so
/// both see the same machine load. No packet leaves the sandbox.
/// </summary>
internal static class NetworkScenario
{
    private const int Blocks = 4;

    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var server = context.Server;

        Func<int, Task> Run(string network) => async _ =>
        {
            var result = await BenchContext.RunAsync(server, context.SmallImage, "echo hi", disposable: true, network, ct);
            if (result.GetProperty("stdout").GetString() != "hi\n")
            {
                throw new BenchException($"run with network {network} printed {result.GetProperty("stdout")} instead of 'hi'");
            }
        };

        await Timing.RepeatAsync(0, 5, Run("internet"));
        await Timing.RepeatAsync(0, 5, Run("none"));
        var internet = new List<double>();
        var none = new List<double>();
        var perBlock = Math.Max(context.Options.Repetitions, 40) * 5 / Blocks;
        for (var block = 0; block < Blocks; block++)
        {
            none.AddRange(await Timing.RepeatAsync(perBlock, 0, Run("none")));
            internet.AddRange(await Timing.RepeatAsync(perBlock, 0, Run("internet")));
        }

        var value = Distribution.Of(internet);
        var baseline = Distribution.Of(none);
        context.Report.Add(new BenchRow("11", "run echo hi, network internet (end to end)", "ms", value, "same run, network none", baseline,
            Target: "<= 15 ms added at the median", Met: value.Median - baseline.Median <= 15,
            Note: $"added at the median: {value.Median - baseline.Median:F2} ms"));

        // The guard of allowed_hosts (rules, a resolver and a proxy in the run's namespace) on top of internet.
        Func<int, Task> Guarded = async _ =>
        {
            var result = await BenchContext.RunAsync(server, context.SmallImage, "echo hi", disposable: true, network: null, ["pypi.org"], ct);
            if (result.GetProperty("stdout").GetString() != "hi\n")
            {
                throw new BenchException($"run with allowed_hosts printed {result.GetProperty("stdout")} instead of 'hi'");
            }
        };
        await Timing.RepeatAsync(0, 5, Guarded);
        var guarded = new List<double>();
        var open = new List<double>();
        for (var block = 0; block < Blocks; block++)
        {
            open.AddRange(await Timing.RepeatAsync(perBlock, 0, Run("internet")));
            guarded.AddRange(await Timing.RepeatAsync(perBlock, 0, Guarded));
        }

        var guardedValue = Distribution.Of(guarded);
        var openValue = Distribution.Of(open);
        context.Report.Add(new BenchRow("11", "run echo hi, allowed_hosts [pypi.org] (end to end)", "ms", guardedValue, "same run, network internet", openValue,
            Note: $"added at the median: {guardedValue.Median - openValue.Median:F2} ms"));
    }
}
