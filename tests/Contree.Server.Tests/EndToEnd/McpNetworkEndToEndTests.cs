using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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

        // What the command changed, and not the network files the engine wrote and took out again.
        var changes = online.GetProperty("filesystem_changes").EnumerateArray().Select(static c => (c.GetProperty("path").GetString(), c.GetProperty("change").GetString())).ToList();
        Assert.Equal([("/root/kept", "added")], changes);
        Assert.Equal(1, online.GetProperty("filesystem_changes_total").GetInt32());
    }

    /// <summary>
    /// allowed_hosts through a real MCP client and through /v1 (our extension of the Contree API's networking): the
    /// listed name resolves, the other does not, stderr and the hint say so, and a list that cannot hold is refused.
    /// </summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task AllowedHosts_OverMcpAndOverV1_ReachOnlyTheListedHost()
    {
        await using var server = new ServerInstance("--engine-egress-netns", internet.Internet!.EgressNamespace);
        var tag = await server.ImportBusyboxAsync("net/busybox:1", Token);
        string image;
        await using (var session = await server.StartStdioAsync(Token))
        {
            var run = await session.CallOkAsync("contree_run", new { command = "nslookup files.test; nslookup other.test", image = "tag:" + tag, allowed_hosts = new[] { "Files.Test" } });
            var refused = await session.CallErrorAsync("contree_run", new { command = "true", image = "tag:" + tag, network = "none", allowed_hosts = new[] { "files.test" } });
            image = (await session.CallOkAsync("contree_list_images", new { tag_prefix = tag })).GetProperty("images")[0].GetProperty("uuid").GetString()!;

            Assert.Contains(TestInternet.PublicAddress, run.GetProperty("stdout").GetString(), StringComparison.Ordinal);
            Assert.NotEqual(0, run.GetProperty("exit_code").GetInt32());
            Assert.EndsWith("refused: other.test\n", run.GetProperty("stderr").GetString(), StringComparison.Ordinal);
            Assert.Contains("allowed_hosts (files.test)", run.GetProperty("hint").GetString(), StringComparison.Ordinal);
            Assert.Equal(["files.test"], run.GetProperty("allowed_hosts").EnumerateArray().Select(static e => e.GetString()));
            Assert.Contains("allowed_hosts needs a network", refused, StringComparison.Ordinal);
        }

        var (baseUrl, _) = await server.StartApiAsync(Token);
        using var http = new HttpClient { BaseAddress = baseUrl };
        var accepted = await http.PostAsync(
            "/v1/instances",
            Json(JsonSerializer.Serialize(new { command = "nslookup other.test", image, networking = new { enabled = true, allowed_hosts = new[] { "files.test" } } })),
            Token);
        var bad = await http.PostAsync(
            "/v1/instances",
            Json(JsonSerializer.Serialize(new { command = "true", image, networking = new { enabled = true, allowed_hosts = new[] { "10.0.0.1" } } })),
            Token);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("uuid").GetString();
        JsonElement operation;
        while ((operation = await http.GetFromJsonAsync<JsonElement>($"/v1/operations/{id}", Token)).GetProperty("status").GetString() is "PENDING" or "EXECUTING")
        {
            // The API has no completion notification; poll as its clients do.
            await Task.Delay(TimeSpan.FromMilliseconds(20), Token);
        }

        var instance = operation.GetProperty("metadata");
        Assert.Equal("SUCCESS", operation.GetProperty("status").GetString());
        Assert.Equal(["files.test"], instance.GetProperty("networking").GetProperty("allowed_hosts").EnumerateArray().Select(static e => e.GetString()));
        Assert.NotEqual(0, instance.GetProperty("result").GetProperty("state").GetProperty("exit_code").GetInt32());
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.Contains("allowed_hosts takes host names, not addresses", await bad.Content.ReadAsStringAsync(Token), StringComparison.Ordinal);
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

    private static StringContent Json(string body) => new(body, System.Text.Encoding.UTF8, "application/json");

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
