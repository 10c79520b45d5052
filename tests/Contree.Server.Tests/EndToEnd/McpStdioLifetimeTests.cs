using System.Diagnostics;
using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// A silent run lives as long as asked over stdio, the way Claude Code and Codex start the server, while other
/// processes keep the CPUs busy and a burst of parallel runs has grown the thread pool (whose idle threads retire
/// after about 20 s and, before the fix, took the sandboxes they had started with them).
/// </summary>
public sealed class McpStdioLifetimeTests(StdioServerFixture fixture) : IClassFixture<StdioServerFixture>
{
    private const string SkipReason = HostRequirements.SandboxSkipReason + "; " + HostRequirements.RegistrySkipReason;

    public static bool CanRun => StdioServerFixture.CanRun;

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_SilentFor45SecondsAfterABurstUnderCpuLoad_FinishesWithExitZero()
    {
        var burners = Enumerable.Range(0, 6).Select(static _ => Process.Start("/bin/sh", ["-c", "while :; do :; done"])).ToList();
        try
        {
            var burst = Enumerable.Range(0, 24)
                .Select(i => fixture.Session.CallOkAsync("contree_run", new { command = $"echo burst-{i}", image = fixture.BaseImage }))
                .ToList();
            foreach (var run in await Task.WhenAll(burst))
            {
                Assert.Equal(0, run.GetProperty("exit_code").GetInt32());
            }

            var silent = await fixture.Session.CallOkAsync("contree_run", new { command = "sleep 45; echo ok", image = fixture.BaseImage, timeout = 90 });

            Assert.True(silent.GetProperty("exit_code").GetInt32() == 0, $"the silent run was cut short: {silent}");
            Assert.Equal("ok\n", silent.GetProperty("stdout").GetString());
            Assert.False(silent.GetProperty("timed_out").GetBoolean());
            Assert.Equal("exited", silent.GetProperty("ended_by").GetString());
        }
        finally
        {
            foreach (var burner in burners)
            {
                burner.Kill();
                await burner.WaitForExitAsync(CancellationToken.None);
                burner.Dispose();
            }
        }
    }
}
