using System.Diagnostics;
using Contree.Client;
using Contree.Core;
using Contree.Core.Models;
using Contree.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// The real <c>contree-mcp api</c> executable with the HTTP client in front of it: the command line wires the engine,
/// serves /v1, and on SIGTERM stops cleanly (the in-flight run ended, its overlay detached, exit code 0).
/// </summary>
public sealed class ApiCommandEndToEndTests
{
    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task ApiCommand_ImportRunThenSigterm_ServesV1AndStopsCleanly()
    {
        await using var server = new ServerInstance("--engine-pids-limit", "32");
        var layout = OciImageWriter.WriteBusyboxLayout(server.Root);
        var (baseUrl, process) = await server.StartApiAsync(Token);
        await using var services = new ServiceCollection().AddLogging().AddContreeClient(o => o.BaseUrl = baseUrl.ToString()).BuildServiceProvider();
        var backend = services.GetRequiredService<IContreeBackend>();

        var import = await ContreeBackendConformanceTests.WaitTerminalAsync(
            backend, await backend.ImportImageAsync(new ImportImageMetadata { Registry = new ImageRegistry { Url = $"oci:{layout}:1" } }, Token), Token);
        var image = import.Result!.Image!;
        var run = await ContreeBackendConformanceTests.WaitTerminalAsync(
            backend, await backend.SpawnInstanceAsync(new InstanceMetadata { Command = "cat /sys/fs/cgroup/pids.max 2>/dev/null; echo via-api", Image = image, Shell = true }, Token), Token);
        var offline = await ContreeBackendConformanceTests.WaitTerminalAsync(
            backend,
            await backend.SpawnInstanceAsync(
                new InstanceMetadata
                {
                    Command = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '",
                    Image = image,
                    Shell = true,
                    Networking = new InstanceNetworking { Enabled = false },
                },
                Token),
            Token);
        var inFlight = await backend.SpawnInstanceAsync(new InstanceMetadata { Command = "sleep 600", Image = image, Shell = true, Timeout = 600 }, Token);
        while ((await backend.GetOperationAsync(inFlight, Token)).Status != OperationStatus.Executing || server.MountsUnderRoot().Count == 0)
        {
            // Neither the API nor the mount table notifies when the sandbox is up.
            await Task.Delay(TimeSpan.FromMilliseconds(20), Token);
        }

        var stopping = Stopwatch.StartNew();
        using (var term = Process.Start("/bin/kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
        {
            await term.WaitForExitAsync(Token);
        }

        using var exitDeadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        exitDeadline.CancelAfter(TimeSpan.FromSeconds(20));
        await process.WaitForExitAsync(exitDeadline.Token);
        stopping.Stop();

        Assert.Equal(OperationStatus.Success, run.Status);
        Assert.EndsWith("via-api\n", run.Instance!.Result!.Stdout.ToText(), StringComparison.Ordinal);
        Assert.True(run.Instance.Networking?.Enabled, "a run that does not say gets the default network, and the operation records it");
        Assert.Equal("lo\n", offline.Instance!.Result!.Stdout.ToText());
        Assert.False(offline.Instance.Networking?.Enabled);
        Assert.True(stopping.Elapsed < TimeSpan.FromSeconds(10), $"SIGTERM took {stopping.Elapsed.TotalSeconds:F1} s\n{server.StandardError}");
        Assert.Equal(0, process.ExitCode);
        Assert.Empty(server.MountsUnderRoot());
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(server.DataDirectory, "runs")));
    }
}
