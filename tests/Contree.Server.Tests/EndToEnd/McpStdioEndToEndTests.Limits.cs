namespace Contree.Server.Tests.EndToEnd;

/// <summary>The per-sandbox limits set on the command line (--engine-memory-limit 64m, --engine-pids-limit 64).</summary>
public sealed partial class McpStdioEndToEndTests
{
    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_AllocatingBeyondMemoryLimit_KilledWhileSmallRunsWork()
    {
        // ash keeps a command substitution's output in memory: 200 MB cannot fit under the 64 MiB limit.
        var big = await RunAsync(new { command = "s=$(head -c 200000000 /dev/zero | tr '\\0' x); echo size ${#s}", image = BaseImage, timeout = 60 });
        var small = AssertRan(await RunAsync(new { command = "s=$(head -c 1000000 /dev/zero | tr '\\0' x); echo size ${#s}", image = BaseImage }));

        Assert.Equal("SUCCESS", big.GetProperty("status").GetString());
        Assert.NotEqual(0, big.GetProperty("exit_code").GetInt32());
        Assert.DoesNotContain("size", Stdout(big), StringComparison.Ordinal);
        Assert.False(big.GetProperty("timed_out").GetBoolean(), $"the memory limit, not the time limit, must stop it: {big}");
        Assert.Equal("memory_limit", big.GetProperty("ended_by").GetString());
        Assert.Contains("--engine-memory-limit", big.GetProperty("hint").GetString(), StringComparison.Ordinal);
        Assert.Equal("size 1000000\n", Stdout(small));
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_ForkingBeyondPidsLimit_ForkFailsWhileFewProcessesWork()
    {
        var many = await RunAsync(new
        {
            command = $"for i in $(seq 1 {StdioServerFixture.PidsLimit * 2}); do sleep 2 & done; wait; echo all-started",
            image = BaseImage,
            timeout = 60,
        });
        var few = AssertRan(await RunAsync(new { command = "for i in 1 2 3 4 5 6 7 8; do sleep 0.1 & done; wait; echo few-ok", image = BaseImage }));

        Assert.Equal("SUCCESS", many.GetProperty("status").GetString());
        Assert.Contains("fork", many.GetProperty("stderr").GetString(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("all-started", Stdout(many), StringComparison.Ordinal);
        Assert.Equal("pids_limit", many.GetProperty("ended_by").GetString());
        Assert.Equal("few-ok\n", Stdout(few));
    }
}
