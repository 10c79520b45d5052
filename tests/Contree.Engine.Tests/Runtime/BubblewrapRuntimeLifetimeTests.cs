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
}
