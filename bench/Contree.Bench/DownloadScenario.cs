using System.Globalization;
using Contree.Tests.Common;

namespace Contree.Bench;

/// <summary>
/// Scenario 12: a 100 MiB download from the tests' stand-in internet (<see cref="TestInternet"/>: network namespaces
/// on this machine, nothing leaves it) by busybox nc inside a run, through slirp4netns (<c>internet</c>) and through
/// the allowed_hosts guard (its proxy dialled transparently, and as http_proxy), against the same download made in
/// the egress namespace itself, which is where slirp4netns makes its connections. Interleaved, same load.
/// </summary>
internal static class DownloadScenario
{
    private const long Bytes = 100L * 1024 * 1024;
    private const int Repetitions = 5;

    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        using var internet = new TestInternet();
        internet.ServeZeros("big", Bytes);
        var root = context.NewDirectory("download");
        await using var server = await McpServerSession.StartLocalAsync(
            context.Options.ServerDll, root, ["--engine-egress-netns", internet.EgressNamespace, "--engine-memory-limit", "1g"], ct);
        var image = await BenchContext.ImportAsync(server, $"oci:{context.Images.Small.Directory}:small", "bench/small", ct);

        var get = $"printf 'GET /big HTTP/1.0\\r\\nHost: files.test\\r\\n\\r\\n' | nc {TestInternet.PublicAddress} 80 | wc -c";
        var viaProxy = "printf 'GET http://files.test/big HTTP/1.0\\r\\nHost: files.test\\r\\n\\r\\n' | nc 127.0.0.53 3128 | wc -c";
        var host = new List<double>();
        var open = new List<double>();
        var guarded = new List<double>();
        var proxied = new List<double>();
        for (var i = 0; i < Repetitions; i++)
        {
            host.Add(Timing.Time(() => Check(internet.RunInEgress(get))) / 1000);
            open.Add(await InRunAsync(server, image, get, null, ct));
            guarded.Add(await InRunAsync(server, image, "nslookup files.test >/dev/null && " + get, ["files.test"], ct));
            proxied.Add(await InRunAsync(server, image, viaProxy, ["files.test"], ct));
        }

        var baseline = Distribution.Of(host);
        foreach (var (label, values) in new[] { ("network internet", open), ("allowed_hosts, dialled directly", guarded), ("allowed_hosts, through http_proxy", proxied) })
        {
            var value = Distribution.Of(values);
            context.Report.Add(new BenchRow("12", $"100 MiB download in a run, {label}", "s", value, "same download in the egress namespace", baseline,
                Note: string.Create(CultureInfo.InvariantCulture, $"{Bytes / 1048576.0 / value.Median:F0} MiB/s in the run, {Bytes / 1048576.0 / baseline.Median:F0} MiB/s on the host side")));
        }
    }

    /// <summary>The download's own time inside the run, measured there (not the run's start and end).</summary>
    private static async Task<double> InRunAsync(McpServerSession server, string image, string download, IReadOnlyList<string>? allowedHosts, CancellationToken ct)
    {
        // busybox date has no %N; /proc/uptime counts in hundredths of a second, against downloads of tenths.
        var command = $"read start _ < /proc/uptime; n=$({download}); read end _ < /proc/uptime; echo \"$n $start $end\"";
        var result = await BenchContext.RunAsync(server, image, command, disposable: true, network: null, allowedHosts, ct);
        var fields = result.GetProperty("stdout").GetString()!.Split(' ', StringSplitOptions.TrimEntries);
        Check(fields[0]);
        return double.Parse(fields[2], CultureInfo.InvariantCulture) - double.Parse(fields[1], CultureInfo.InvariantCulture);
    }

    /// <summary>The response is the body plus busybox httpd's head; anything shorter is a failed download.</summary>
    private static void Check(string received)
    {
        if (!long.TryParse(received.Trim(), CultureInfo.InvariantCulture, out var count) || count < Bytes)
        {
            throw new BenchException($"the download received '{received.Trim()}' bytes, expected at least {Bytes}");
        }
    }
}
