namespace Contree.Bench;

/// <summary>
/// Scenario 11: what a run's network costs: <c>echo hi</c> with <c>network: "internet"</c> (a network namespace with
/// nftables rules and slirp4netns per run) against <c>network: "none"</c>, and with <c>allowed_hosts</c> against
/// <c>internet</c>, interleaved in blocks on the same server so all see the same machine load. No packet leaves the sandbox.
/// </summary>
internal static class NetworkScenario
{
    private const int Blocks = 4;

    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var server = context.Server;

        Func<int, Task> Run(string? network, IReadOnlyList<string>? allowedHosts = null) => async _ =>
        {
            var result = await BenchContext.RunAsync(server, context.SmallImage, "echo hi", disposable: true, network, allowedHosts, ct);
            if (result.GetProperty("stdout").GetString() != "hi\n")
            {
                throw new BenchException($"run with network {network ?? "allowed_hosts"} printed {result.GetProperty("stdout")} instead of 'hi'");
            }
        };

        // none, internet, and internet limited by allowed_hosts (the guard's rules, resolver and proxy), in the same blocks.
        (string Name, Func<int, Task> Run)[] variants = [("none", Run("none")), ("internet", Run("internet")), ("allowed_hosts", Run(null, ["pypi.org"]))];
        var samples = variants.ToDictionary(static v => v.Name, static _ => new List<double>());
        foreach (var (_, run) in variants)
        {
            await Timing.RepeatAsync(0, 5, run);
        }

        var perBlock = Math.Max(context.Options.Repetitions, 40) * 5 / Blocks;
        for (var block = 0; block < Blocks; block++)
        {
            foreach (var (name, run) in variants)
            {
                samples[name].AddRange(await Timing.RepeatAsync(perBlock, 0, run));
            }
        }

        var none = Distribution.Of(samples["none"]);
        var internet = Distribution.Of(samples["internet"]);
        var guarded = Distribution.Of(samples["allowed_hosts"]);
        context.Report.Add(new BenchRow("11", "run echo hi, network internet (end to end)", "ms", internet, "same run, network none", none,
            Target: "<= 15 ms added at the median", Met: internet.Median - none.Median <= 15,
            Note: $"added at the median: {internet.Median - none.Median:F2} ms"));
        context.Report.Add(new BenchRow("11", "run echo hi, allowed_hosts [pypi.org] (end to end)", "ms", guarded, "same run, network internet", internet,
            Note: $"added at the median: {guarded.Median - internet.Median:F2} ms"));
    }
}
