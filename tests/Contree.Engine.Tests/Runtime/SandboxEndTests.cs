using Contree.Core.Models;
using Contree.Engine.Runtime;
using Contree.Engine.Runtime.Cgroups;

namespace Contree.Engine.Tests.Runtime;

public sealed class SandboxEndTests
{
    private static readonly CgroupUsage Quiet = new(0.1, 0.1, 1024, OomKilled: false);

    [Theory]
    [InlineData(null, 137, true, true, RunEnd.TimeLimit)]
    [InlineData(137, 137, true, true, RunEnd.TimeLimit)]
    [InlineData(0, 137, true, false, RunEnd.Exited)]
    [InlineData(3, 137, true, false, RunEnd.Exited)]
    [InlineData(137, 137, false, false, RunEnd.Exited)]
    [InlineData(0, 0, false, false, RunEnd.Exited)]
    public void Decide_TimeLimit_OnlyWhenTheKillEndedTheCommand(int? commandExit, int processExit, bool fired, bool timedOut, string endedBy)
    {
        var state = SandboxEnd.Decide(new BwrapReport(true, commandExit), processExit, fired, Quiet, execFailed: false, pid: 42);

        Assert.Equal(timedOut, state.TimedOut);
        Assert.Equal(endedBy, state.EndedBy);
        Assert.Equal(timedOut ? -1 : commandExit, state.ExitCode);
    }

    [Fact]
    public void Decide_OomKillWithFailure_IsMemoryLimit()
    {
        var state = SandboxEnd.Decide(Reported(137), 137, timeLimitFired: false, Quiet with { OomKilled = true }, execFailed: false, pid: 1);

        Assert.Equal(RunEnd.MemoryLimit, state.EndedBy);
        Assert.Equal(9, state.Signal);
    }

    [Fact]
    public void Decide_OomKillOfAChildButSuccess_IsExited()
    {
        var state = SandboxEnd.Decide(Reported(0), 0, timeLimitFired: false, Quiet with { OomKilled = true }, execFailed: false, pid: 1);

        Assert.Equal(RunEnd.Exited, state.EndedBy);
    }

    [Fact]
    public void Decide_RefusedForkWithFailure_IsPidsLimit()
    {
        var state = SandboxEnd.Decide(Reported(2), 2, timeLimitFired: false, Quiet with { PidsLimitHit = true }, execFailed: false, pid: 1);

        Assert.Equal(RunEnd.PidsLimit, state.EndedBy);
        Assert.Equal(-1, state.Signal);
    }

    [Fact]
    public void Decide_NotStarted_UsesTheProcessExit()
    {
        var state = SandboxEnd.Decide(default, 5, timeLimitFired: false, usage: null, execFailed: false, pid: 1);

        Assert.Equal(5, state.ExitCode);
        Assert.Equal(RunEnd.Exited, state.EndedBy);
    }

    [Fact]
    public void Decide_StartedButBwrapKilledByTheOomKiller_IsMemoryLimitKill()
    {
        var state = SandboxEnd.Decide(new BwrapReport(true, null), 1, timeLimitFired: false, Quiet with { OomKilled = true }, execFailed: false, pid: 1);

        Assert.Equal(137, state.ExitCode);
        Assert.Equal(9, state.Signal);
        Assert.Equal(RunEnd.MemoryLimit, state.EndedBy);
    }

    [Fact]
    public void Decide_StartedButBwrapKilledFromOutside_IsKill()
    {
        var state = SandboxEnd.Decide(new BwrapReport(true, null), 1, timeLimitFired: false, Quiet, execFailed: false, pid: 1);

        Assert.Equal(137, state.ExitCode);
        Assert.Equal(9, state.Signal);
        Assert.Equal(RunEnd.Exited, state.EndedBy);
    }

    [Fact]
    public void Decide_ExecFailure_Is127()
    {
        Assert.Equal(127, SandboxEnd.Decide(Reported(1), 1, timeLimitFired: false, Quiet, execFailed: true, pid: 1).ExitCode);
    }

    private static BwrapReport Reported(int exitCode) => new(true, exitCode);
}
