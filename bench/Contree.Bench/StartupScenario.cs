namespace Contree.Bench;

/// <summary>
/// Scenario 7 (start): process spawn to the first <c>initialize</c> response, as the SDK's stdio client sees it,
/// with a fresh data directory and caches and again on the same ones; against starting the same executable for <c>--version</c>
/// (the .NET host's own start-up, the floor of any server written in .NET).
/// </summary>
internal static class StartupScenario
{
    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var starts = new List<double>();
        var restarts = new List<double>();
        var versions = new List<double>();
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        for (var i = 0; i < context.Options.Repetitions / 4 + 2; i++)
        {
            versions.Add(await Timing.TimeAsync(() => HostProcess.RunAsync(dotnet, [context.Options.ServerDll, "--version"], ct)));
            var root = context.NewDirectory("start");
            await using (var server = await McpServerSession.StartLocalAsync(context.Options.ServerDll, root, ct))
            {
                starts.Add(server.StartupMilliseconds);
            }

            await using (var server = await McpServerSession.StartLocalAsync(context.Options.ServerDll, root, ct))
            {
                restarts.Add(server.StartupMilliseconds);
            }

            Directory.Delete(root, recursive: true);
        }

        var value = Distribution.Of(starts);
        context.Report.Add(new BenchRow("7", "start to initialize response (fresh data dir)", "ms", value,
            "contree-mcp --version (runtime start)", Distribution.Of(versions), Target: "< 500 ms", Met: value.Median < 500));
        var again = Distribution.Of(restarts);
        context.Report.Add(new BenchRow("7", "start to initialize response (existing data dir)", "ms", again,
            "contree-mcp --version (runtime start)", Distribution.Of(versions), Target: "< 500 ms", Met: again.Median < 500));
    }
}
