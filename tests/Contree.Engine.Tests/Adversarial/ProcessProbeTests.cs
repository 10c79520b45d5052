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
}
