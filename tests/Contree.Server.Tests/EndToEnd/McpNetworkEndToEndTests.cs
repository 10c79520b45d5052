using System.Diagnostics;
using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// The network of a run through the real server and a real MCP client, against <see cref="TestInternet"/> (the server's
/// <c>--engine-egress-netns</c>): the default is the internet, <c>none</c> is loopback only with a hint when a command
/// fails for it, a commit carries no generated resolv.conf, and a server killed mid-run leaves no slirp4netns behind.
/// </summary>
public sealed class McpNetworkEndToEndTests(TestInternetFixture internet) : IClassFixture<TestInternetFixture>
{
    public static bool CanRun => HostRequirements.CanRunNetwork;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_DefaultIsTheInternet_NoneIsLoopbackWithAHint_CommitCarriesNoResolvConf()
    {
        await using var server = new ServerInstance("--engine-egress-netns", internet.Internet!.EgressNamespace);
        var tag = await server.ImportBusyboxAsync("net/busybox:1", Token);
        await using var session = await server.StartStdioAsync(Token);

        var online = await session.CallOkAsync("contree_run", new { command = "nslookup files.test; echo kept > /root/kept", image = "tag:" + tag, disposable = false });
        var offline = await session.CallOkAsync("contree_run", new { command = "nslookup files.test", image = "tag:" + tag, network = "none" });
        var interfaces = await session.CallOkAsync("contree_run", new { command = "tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '", image = "tag:" + tag, network = "none" });
        Assert.True(offline.TryGetProperty("hint", out var hint), offline.GetRawText());
        var operation = await session.CallOkAsync("contree_get_operation", new { operation_id = offline.GetProperty("operation_id").GetString() });
        var etc = await session.CallOkAsync("contree_list_files", new { image = online.GetProperty("result_image").GetString(), path = "/etc" });

        Assert.Contains(TestInternet.PublicAddress, online.GetProperty("stdout").GetString(), StringComparison.Ordinal);
        Assert.NotEqual(0, offline.GetProperty("exit_code").GetInt32());
        Assert.Contains("network=\"internet\"", hint.GetString(), StringComparison.Ordinal);
        Assert.Equal("lo\n", interfaces.GetProperty("stdout").GetString());
        Assert.Equal("none", operation.GetProperty("network").GetString());
        Assert.Equal("internet", online.GetProperty("network").GetString());
        Assert.DoesNotContain(etc.GetProperty("files").EnumerateArray(), f => f.GetProperty("path").GetString() is "/etc/resolv.conf" or "/etc/hosts");
    }

    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task KillServer_DuringAnInternetRun_LeavesNoSlirpAndNoMount()
    {
        await using var server = new ServerInstance("--engine-egress-netns", internet.Internet!.EgressNamespace);
        var tag = await server.ImportBusyboxAsync("net/busybox:1", Token);
        var (session, process) = await server.StartHttpAsync(Token);
        await using (session)
        {
            await session.CallOkAsync("contree_run", new { command = "sleep 300", image = "tag:" + tag, wait = false, timeout = 300 });
            var watch = Stopwatch.StartNew();
            while (SlirpProcessesOf(process.Id) == 0)
            {
                Assert.True(watch.Elapsed < TimeSpan.FromSeconds(30), "the run's slirp4netns never started");

                // Nothing announces a helper process; the run starts within milliseconds.
                await Task.Delay(TimeSpan.FromMilliseconds(20), Token);
            }

            process.Kill();
            await process.WaitForExitAsync(Token);
        }

        var gone = Stopwatch.StartNew();
        while (SlirpProcessesOf(process.Id) > 0 && gone.Elapsed < TimeSpan.FromSeconds(10))
        {
            // slirp4netns ends when its exit descriptor (the dead server's pipe) reads EOF.
            await Task.Delay(TimeSpan.FromMilliseconds(20), Token);
        }

        Assert.Equal(0, SlirpProcessesOf(process.Id));
    }


    /// <summary>slirp4netns processes of one server: their network namespace path names the server's pid.</summary>
    private static int SlirpProcessesOf(int serverPid)
    {
        var marker = $"/proc/{serverPid}/fd/";
        var count = 0;
        foreach (var process in Process.GetProcessesByName("slirp4netns"))
        {
            using (process)
            {
                try
                {
                    if (File.ReadAllText($"/proc/{process.Id}/cmdline").Contains(marker, StringComparison.Ordinal))
                    {
                        count++;
                    }
                }
                catch (IOException)
                {
                    // It exited meanwhile.
                }
            }
        }

        return count;
    }
}
