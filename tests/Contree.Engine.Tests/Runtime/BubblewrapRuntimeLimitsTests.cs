using System.Diagnostics;
using Contree.Core.Models;
using Contree.Engine.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Runtime;

public sealed class BubblewrapRuntimeLimitsTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_Timeout_KillsTreeAndKeepsPartialOutput()
    {
        var marker = UniqueSeconds();
        var request = fixture.Request($"echo started; sleep {marker} & sleep {marker}") with { Timeout = TimeSpan.FromSeconds(1) };
        var stopwatch = Stopwatch.StartNew();

        var result = await fixture.RunAsync(request);

        Assert.True(result.State.TimedOut);
        Assert.Equal(RunEnd.TimeLimit, result.State.EndedBy);
        Assert.Equal(-1, result.State.ExitCode);
        Assert.Equal("started\n", SandboxFixture.Text(result.Stdout));
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(15), $"took {stopwatch.Elapsed}");
        Assert.False(ProcessWithArgumentExists(marker));
        Assert.False(fixture.HasCgroup(request.RunId));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_OutputFlood_KeepsLimitAndReturnsQuickly()
    {
        var request = fixture.Request("yes 2>/dev/null | head -c 50000000; echo tail >&2") with { TruncateOutputAt = 1024 };
        var stopwatch = Stopwatch.StartNew();

        var result = await fixture.RunAsync(request);

        Assert.Equal(1024, result.Stdout.KeptBytes);
        Assert.True(result.StdoutTruncated);
        Assert.Equal("tail\n", SandboxFixture.Text(result.Stderr));
        Assert.False(result.StderrTruncated);
        Assert.Equal(0, result.State.ExitCode);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), $"took {stopwatch.Elapsed}");
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_MemoryLimitExceeded_ReturnsOomKill137()
    {
        var request = fixture.Request("x=$(head -c 300000000 /dev/zero | tr '\\0' a); echo survived") with
        {
            Limits = new SandboxLimits(32L * 1024 * 1024, 64, 0),
        };

        var result = await fixture.RunAsync(request);

        Assert.True(137 == result.State.ExitCode, $"exit {result.State.ExitCode}, ended by {result.State.EndedBy}, stderr: {SandboxFixture.Text(result.Stderr)}");
        Assert.Equal(9, result.State.Signal);
        Assert.Equal(RunEnd.MemoryLimit, result.State.EndedBy);
        Assert.DoesNotContain("survived", SandboxFixture.Text(result.Stdout), StringComparison.Ordinal);
        Assert.InRange(result.Resources.MaxRss, 1, 33 * 1024);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_PidsLimit_ForkFails()
    {
        var request = fixture.Request("i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done; echo loop-done") with
        {
            Limits = new SandboxLimits(256L * 1024 * 1024, 10, 0),
        };

        var result = await fixture.RunAsync(request);

        Assert.Contains("fork", SandboxFixture.Text(result.Stderr), StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_PidsLimitFailsTheCommand_EndedByPidsLimit()
    {
        var request = fixture.Request("i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done; exit 3") with
        {
            Limits = new SandboxLimits(256L * 1024 * 1024, 10, 0),
        };

        var result = await fixture.RunAsync(request);

        // busybox sh gives up with 2 when it cannot fork; the point is that the failure is put down to the limit.
        Assert.NotEqual(0, result.State.ExitCode);
        Assert.Equal(RunEnd.PidsLimit, result.State.EndedBy);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_CommandExits137ByItself_IsNotAKill()
    {
        var result = await fixture.RunAsync(fixture.Request("exit 137") with { Limits = new SandboxLimits(256L * 1024 * 1024, 64, 0) });

        Assert.Equal(137, result.State.ExitCode);
        Assert.False(result.State.TimedOut);
        Assert.Equal(RunEnd.Exited, result.State.EndedBy);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_BusyLoop_ReportsCpuAndMemory()
    {
        var result = await fixture.RunAsync(fixture.Request("i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo $i"));

        Assert.Equal("200000\n", SandboxFixture.Text(result.Stdout));
        Assert.True(result.Resources.UserCpuTime + result.Resources.SystemCpuTime > 0.01, $"cpu {result.Resources.UserCpuTime}+{result.Resources.SystemCpuTime}");
        Assert.True(result.Resources.MaxRss > 0);
        Assert.True(result.Resources.ElapsedTime >= result.Resources.UserCpuTime / 2);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_Cancelled_KillsAndCleansUpThenThrows()
    {
        var marker = UniqueSeconds();
        var request = fixture.Request($"sleep {marker} & sleep {marker}");
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(700));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => fixture.Runtime.RunAsync(request, cancellation.Token));

        Assert.False(fixture.HasCgroup(request.RunId));
        Assert.False(ProcessWithArgumentExists(marker));
        Assert.False(fixture.LeftMountPoint(request));
    }

    private static string UniqueSeconds() => Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);

    private static bool ProcessWithArgumentExists(string argument)
    {
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (cmdline.Split('\0').Contains(argument))
                {
                    return true;
                }
            }
            catch (IOException)
            {
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return false;
    }
}
