using System.Diagnostics;

namespace Contree.Bench;

/// <summary>
/// Entry point: checks the host, builds the images, starts the main server, runs the selected scenarios (a failing
/// scenario is reported and the others still run), prints the table and writes bench/results/&lt;date&gt;.json.
/// </summary>
internal static class BenchProgram
{
    private static readonly (int Number, string Name, Func<BenchContext, Task> Run)[] Scenarios =
    [
        (7, "start-up", StartupScenario.RunAsync),
        (1, "run latency (+ scenario 7 leaks)", RunLatencyScenario.RunAsync),
        (2, "commit on small and large images", CommitScenario.RunAsync),
        (3, "parallel runs", ParallelScenario.RunAsync),
        (4, "read_file / list_files", InspectScenario.RunAsync),
        (5, "rsync", RsyncScenario.RunAsync),
        (6, "import from a registry", ImportScenario.RunAsync),
        (8, "cloud-mode polling", CloudPollingScenario.RunAsync),
        (9, "300 MB output flood", OutputFloodScenario.RunAsync),
        (10, "memory over 5,000 runs of 100 KB output (scenario 7 leaks)", OutputMemoryScenario.RunAsync),
        (11, "network: internet against none", NetworkScenario.RunAsync),
        (12, "100 MiB download through the run's network", DownloadScenario.RunAsync),
    ];

    public static async Task<int> MainAsync(string[] args)
    {
        BenchOptions options;
        try
        {
            options = BenchOptions.Parse(args);
            CheckHost();
        }
        catch (BenchException e)
        {
            Console.Error.WriteLine("contree-bench: " + e.Message);
            return 2;
        }

        using var cancellation = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancellation.Cancel();
        };

        var work = Directory.CreateTempSubdirectory("contree-bench-").FullName;
        var report = new BenchReport();
        var context = new BenchContext(options, work, report, cancellation.Token);
        var total = Stopwatch.StartNew();
        try
        {
            await SetUpAsync(context);
            foreach (var (number, name, run) in Scenarios.Where(s => options.Scenarios.Contains(s.Number)))
            {
                Console.WriteLine($"== scenario {number}: {name} (load {BenchReport.LoadAverage()})");
                try
                {
                    await run(context);
                }
                catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
                {
                    // One broken scenario (or an unfinished product feature) must not hide the others' figures.
                    report.Fail($"scenario {number}", e);
                }
            }
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellation.IsCancellationRequested)
        {
            report.Fail("setup", e);
        }
        finally
        {
            if (context.Server is not null)
            {
                await context.Server.DisposeAsync();
            }

            var path = report.Write(options.OutputDirectory, options, options.ServerDll);
            Console.WriteLine($"results: {path} (total {total.Elapsed.TotalSeconds:F0} s)");
            if (options.KeepWorkDirectory)
            {
                Console.WriteLine($"work directory kept: {work}");
            }
            else
            {
                RemoveWorkDirectory(work);
            }
        }

        return 0;
    }

    private static async Task SetUpAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var dotnet = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host : "dotnet";
        context.Report.ServerVersion = (await HostProcess.RunAsync(dotnet, [context.Options.ServerDll, "--version"], ct)).Trim();
        try
        {
            // Read-only: which commit the working tree is based on (it may hold uncommitted changes).
            context.Report.Commit = (await HostProcess.RunAsync("git", ["-C", Path.GetDirectoryName(context.Options.ServerDll)!, "rev-parse", "HEAD"], ct)).Trim();
        }
        catch (Exception e) when (e is BenchException or System.ComponentModel.Win32Exception)
        {
            context.Report.Commit = "unknown";
        }

        Console.WriteLine($"{context.Report.ServerVersion} at commit {context.Report.Commit}");
        var build = Stopwatch.StartNew();
        context.Images = await BenchImages.BuildAsync(context.NewDirectory("images"), context.Options.LargeLayerMiB, context.Options.MediumLayerMiB, ct);
        Console.WriteLine($"images built in {build.Elapsed.TotalSeconds:F1} s: large {context.Images.Large.UncompressedBytes >> 20} MiB in {context.Images.Large.LayerCount} layers, medium {context.Images.Medium.BlobBytes >> 20} MiB gzip in {context.Images.Medium.LayerCount} layers");

        context.Server = await McpServerSession.StartLocalAsync(context.Options.ServerDll, context.NewDirectory("main"), ct);
        context.IdleProbe = LeakProbe.Take(context.Server.ProcessId, context.Server.DataDirectory);
        var small = Stopwatch.StartNew();
        context.SmallImage = await BenchContext.ImportAsync(context.Server, $"oci:{context.Images.Small.Directory}:small", "bench/small", ct);
        Console.WriteLine($"small image {context.SmallImage} imported in {small.Elapsed.TotalMilliseconds:F0} ms");
        var large = Stopwatch.StartNew();
        context.LargeImage = await BenchContext.ImportAsync(context.Server, $"oci:{context.Images.Large.Directory}:large", "bench/large", ct);
        Console.WriteLine($"large image {context.LargeImage} imported in {large.Elapsed.TotalMilliseconds:F0} ms");
    }

    private static void CheckHost()
    {
        if (Environment.UserName != "root")
        {
            throw new BenchException("the local engine and the floor script need root (overlay mounts, cgroups)");
        }

        var missing = new[] { "bwrap", "skopeo", "umoci", "docker-registry", "dotnet" }.Where(static t => !HostProcess.Exists(t)).ToList();
        if (!File.Exists(BusyboxRootfs.HostBusybox))
        {
            missing.Add("busybox (busybox-static)");
        }

        if (missing.Count > 0)
        {
            throw new BenchException($"missing tools: {string.Join(", ", missing)} (bench/run.sh installs them)");
        }

        if (!File.Exists(Path.Combine(AppContext.BaseDirectory, "floor.sh")))
        {
            throw new BenchException("floor.sh is missing next to the harness; rebuild bench/Contree.Bench");
        }
    }

    /// <summary>Removes the work directory; a mount left under it by a failed floor iteration is detached first.</summary>
    private static void RemoveWorkDirectory(string work)
    {
        var prefix = work + "/";
        var mounts = File.ReadLines("/proc/self/mountinfo")
            .Select(static line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Where(m => m.StartsWith(prefix, StringComparison.Ordinal))
            .OrderByDescending(static m => m.Length)
            .ToList();
        foreach (var mount in mounts)
        {
            try
            {
                HostProcess.RunAsync("/bin/umount", ["-l", mount]).GetAwaiter().GetResult();
            }
            catch (BenchException e)
            {
                Console.Error.WriteLine($"could not unmount {mount}: {e.Message}");
            }
        }

        try
        {
            Directory.Delete(work, recursive: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"could not remove {work}: {e.Message}");
        }
    }
}
