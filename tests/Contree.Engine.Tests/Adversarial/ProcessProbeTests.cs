using System.Diagnostics;
using System.Globalization;
using Contree.Engine.Runtime;
using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// A command that leaves a daemon behind, by any of the usual tricks, does not outlive its run: when the command (pid 1
/// of the sandbox) exits, the kernel kills the rest of its pid namespace, and the run's cgroup is killed before removal.
/// </summary>
public sealed class ProcessProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("sleep {0} &")]
    [InlineData("setsid sleep {0} &")]
    [InlineData("(sleep {0} &) &")]
    [InlineData("nohup sleep {0} > /dev/null 2>&1 &")]
    [InlineData("trap '' HUP TERM; sleep {0} &")]
    public async Task Daemon_DiesWithItsRun(string daemonize)
    {
        var marker = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

        var result = await fixture.RunAsync(fixture.Request(string.Format(System.Globalization.CultureInfo.InvariantCulture, daemonize, marker) + " sleep 0.2; exit 0"));

        Assert.Equal(0, result.State.ExitCode);
        Assert.Empty(await HostProcesses.WaitUntilGoneAsync(marker, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken));
    }

    /// <summary>
    /// A host process's pid means nothing in the sandbox's pid namespace: signalling it, or every process (-1), reaches
    /// only the sandbox's own processes.
    /// </summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Signal_ToAHostPidOrToAll_LeavesHostProcessesAlive()
    {
        using var host = Process.Start(new ProcessStartInfo("/bin/sleep", "300") { UseShellExecute = false })!;
        try
        {
            var pid = host.Id.ToString(CultureInfo.InvariantCulture);
            var result = await fixture.RunAsync(fixture.Request($"kill -9 {pid} 2>/dev/null; echo direct=$?; kill -0 {pid} 2>/dev/null; echo exists=$?; (kill -9 -1) 2>/dev/null; echo survived"));

            Assert.Equal("direct=1\nexists=1\n", SandboxFixture.Text(result.Stdout).Replace("survived\n", string.Empty, StringComparison.Ordinal));
            Assert.False(host.HasExited, "the host process must not be reachable");
        }
        finally
        {
            host.Kill();
        }
    }

    /// <summary>The CPU quota binds: two busy loops under half a core get about half a core, not two.</summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task CpuHog_UnderAQuota_GetsNoMoreThanTheQuota()
    {
        var request = fixture.Request("timeout 2 sh -c 'while :; do :; done' & timeout 2 sh -c 'while :; do :; done' & wait") with
        {
            Limits = new SandboxLimits(256L * 1024 * 1024, 64, 0.5),
        };

        var result = await fixture.RunAsync(request);

        var cpu = result.Resources.UserCpuTime + result.Resources.SystemCpuTime;
        Assert.True(cpu > 0.2, $"the loops ran: {cpu:0.00} s of CPU");
        Assert.True(cpu <= (0.5 * result.Resources.ElapsedTime * 1.3) + 0.1, $"{cpu:0.00} s of CPU in {result.Resources.ElapsedTime:0.00} s under a quota of 0.5 CPU");
    }
}
