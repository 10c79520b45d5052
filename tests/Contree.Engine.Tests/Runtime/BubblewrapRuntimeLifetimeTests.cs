using Contree.Core.Models;
using Contree.Engine.Interop;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Runtime;

/// <summary>
/// A sandbox lives until its command ends, its timeout fires or it is cancelled: never shorter because the thread
/// that happened to start it went away (bwrap's --die-with-parent is PR_SET_PDEATHSIG, which follows the forking
/// thread, and thread-pool threads retire after about 20 s idle).
/// </summary>
public sealed class BubblewrapRuntimeLifetimeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_StartedFromThreadThatExits_RunsToTheEnd()
    {
        var request = fixture.Request("sleep 2; echo survived");
        Task<Contree.Engine.Runtime.SandboxResult>? run = null;
        var starter = new Thread(() => run = fixture.Runtime.RunAsync(request, TestContext.Current.CancellationToken));
        starter.Start();
        starter.Join();

        var result = await run!;

        Assert.Equal("survived\n", SandboxFixture.Text(result.Stdout));
        Assert.Equal(0, result.State.ExitCode);
        Assert.False(result.State.TimedOut);
    }

    /// <summary>
    /// bwrap itself killed (by the OOM killer once the command's memory is gone, or by an operator): the run reports a
    /// SIGKILL, not unshare's exit 1, and unshare's complaint about its child's death stays out of the command's stderr.
    /// </summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_BwrapKilledFromOutside_ReportsSigkillWithoutLaunchNoise()
    {
        var request = fixture.Request("echo started; touch /started; sleep 60") with { Timeout = TimeSpan.FromSeconds(120) };
        var run = fixture.RunAsync(request);
        var bwrap = await WaitForOutermostBwrapAsync(fixture.Runtime.MountPointOf(request));

        // The kill must come after the echo: the marker appears in the run's upper directory once it ran.
        for (var attempt = 0; attempt < 200 && !File.Exists(Path.Combine(request.RunDirectory, "upper", "started")); attempt++)
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        Assert.Equal(0, Libc.Kill(bwrap, Libc.SIGKILL));
        var result = await run;

        Assert.Equal(137, result.State.ExitCode);
        Assert.Equal(9, result.State.Signal);
        Assert.Equal(RunEnd.Exited, result.State.EndedBy);
        Assert.False(result.State.TimedOut);
        Assert.Equal("started\n", SandboxFixture.Text(result.Stdout));
        Assert.Equal(string.Empty, SandboxFixture.Text(result.Stderr));
    }

    private static async Task<int> WaitForOutermostBwrapAsync(string mountPoint)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            var bwraps = Directory.GetDirectories("/proc")
                .Select(static d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
                .Where(pid => pid > 0 && IsSandboxBwrap(pid, mountPoint))
                .ToList();
            var outermost = bwraps.Where(pid => !bwraps.Contains(ParentOf(pid))).ToList();
            if (outermost.Count == 1)
            {
                return outermost[0];
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException("the sandbox's bwrap did not show up");
    }

    private static bool IsSandboxBwrap(int pid, string mountPoint)
    {
        try
        {
            var argv = File.ReadAllText($"/proc/{pid}/cmdline").Split('\0');
            return Path.GetFileName(argv[0]) == "bwrap" && argv.Contains(mountPoint);
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }
}
