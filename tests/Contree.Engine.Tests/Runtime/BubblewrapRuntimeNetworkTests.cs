using System.Diagnostics;
using System.Globalization;
using Contree.Engine.Runtime;
using Contree.Engine.Runtime.Network;
using Contree.Engine.Runtime.Network.Egress;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Contree.Engine.Tests.Runtime;

/// <summary>
/// The networks a run can have, against <see cref="TestInternet"/> (namespaces the test creates; nothing leaves the
/// machine): <c>none</c> has only loopback; <c>internet</c> resolves names and reaches public addresses through
/// slirp4netns, and reaches neither denied ranges, nor the egress host's own addresses, nor its loopback.
/// </summary>
public sealed class BubblewrapRuntimeNetworkTests : IClassFixture<SandboxFixture>, IClassFixture<TestInternetFixture>, IDisposable
{
    private readonly SandboxFixture _fixture;
    private readonly BubblewrapRuntime _runtime;
    private readonly TestInternetFixture _internet;

    public BubblewrapRuntimeNetworkTests(SandboxFixture fixture, TestInternetFixture internet)
    {
        _fixture = fixture;
        _internet = internet;
        _runtime = new BubblewrapRuntime(
            new RuntimeOptions { CgroupName = fixture.Options.CgroupName, EgressNetworkNamespace = internet.Internet?.EgressNamespace },
            NullLogger<BubblewrapRuntime>.Instance);
    }

    public static bool CanRun => HostRequirements.CanRunNetwork && HostRequirements.HasStaticCompiler;

    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task None_HasOnlyLoopback()
    {
        var result = await RunAsync("tail -n +3 /proc/net/dev | cut -d: -f1 | tr -d ' '", SandboxNetwork.None);

        Assert.Equal("lo\n", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Internet_ResolvesTheTestNameAndDownloads()
    {
        var result = await RunAsync(
            $"nslookup files.test | grep -c {TestInternet.PublicAddress}; {Get(TestInternet.PublicAddress + ":80")}; cat /etc/resolv.conf",
            SandboxNetwork.Internet);

        Assert.True(
            SandboxFixture.Text(result.Stdout) == $"1\n{TestInternet.FileContent}nameserver {EgressRules.DnsAddress}\n",
            $"stdout '{SandboxFixture.Text(result.Stdout)}' stderr '{SandboxFixture.Text(result.Stderr)}'");
    }

    /// <summary>
    /// A denied range, the egress host's own address and slirp4netns' host gateway are refused by the rules (113,
    /// EHOSTUNREACH, at once); 127.0.0.1 is the run's own loopback, where nothing listens (111). The second download
    /// shows the run's network worked meanwhile.
    /// </summary>
    [Theory(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData(TestInternet.PrivateAddress + ":80", 113)]
    [InlineData(TestInternet.EgressAddress + ":8080", 113)]
    [InlineData("10.0.2.2:8080", 113)]
    [InlineData("127.0.0.1:8080", 111)]
    public async Task Internet_DeniedRangeEgressHostAndItsLoopback_AreUnreachable(string target, int errno)
    {
        var result = await RunAsync($"{Get(target)}; {Get(TestInternet.PublicAddress + ":80")}", SandboxNetwork.Internet);

        Assert.Equal($"error {errno}\n{TestInternet.FileContent}", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Internet_ANameThatResolvesToADeniedRange_IsUnreachable()
    {
        var result = await RunAsync(
            $"nslookup private.test | grep -c {TestInternet.PrivateAddress}; {Get(TestInternet.PrivateAddress + ":80")}",
            SandboxNetwork.Internet);

        Assert.Equal("1\nerror 113\n", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Internet_RootCannotChangeTheRules()
    {
        var result = await RunAsync(
            "ip link set tap0 down 2>/dev/null && echo link-changed; ip route del default 2>/dev/null && echo route-changed; " +
            $"{Get(TestInternet.PublicAddress + ":80")}",
            SandboxNetwork.Internet);

        Assert.Equal(TestInternet.FileContent, SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Internet_NetworkFilesLeaveTheUpperUnlessTheCommandChangedThem()
    {
        var untouched = await RunAsync("cat /etc/hosts | grep -c localhost", SandboxNetwork.Internet);
        var changed = await RunAsync("echo 'nameserver 192.0.2.53' > /etc/resolv.conf", SandboxNetwork.Internet);

        Assert.Equal("2\n", SandboxFixture.Text(untouched.Stdout));
        Assert.False(untouched.FilesystemChanged, "the generated resolv.conf and hosts must not make a change of their own");
        Assert.True(changed.FilesystemChanged);
        Assert.Equal("nameserver 192.0.2.53\n", File.ReadAllText(Path.Combine(changed.UpperDirectory, "etc", "resolv.conf")));
        Assert.False(File.Exists(Path.Combine(changed.UpperDirectory, "etc", "hosts")));
    }

    /// <summary>
    /// A hostile image whose <c>/etc</c> is a symlink to a host directory: the generated files land inside the image
    /// (the symlink resolves in the sandbox's root), never in the host directory.
    /// </summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Internet_ImageEtcSymlinkToAHostDirectory_FilesStayInTheImage()
    {
        var hostDirectory = Directory.CreateTempSubdirectory("contree-etc-canary-").FullName;
        var layer = Path.Combine(_fixture.Root, "etc-symlink-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(layer);
        File.CreateSymbolicLink(Path.Combine(layer, "etc"), hostDirectory);
        Contree.Engine.Storage.StoreIdMigration.ShiftTree(layer);
        try
        {
            var request = _fixture.Request("cat /etc/resolv.conf") with
            {
                Network = SandboxNetwork.Internet,
                LowerDirectories = [layer, Adversarial.ProbeLayer.Directory, _fixture.Lower],
            };

            var result = await _runtime.RunAsync(request, TestContext.Current.CancellationToken);

            Assert.Equal($"nameserver {EgressRules.DnsAddress}\n", SandboxFixture.Text(result.Stdout));
            Assert.Empty(Directory.EnumerateFileSystemEntries(hostDirectory));
        }
        finally
        {
            Directory.Delete(hostDirectory, recursive: true);
            Directory.Delete(layer, recursive: true);
        }
    }

    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Internet_TimeoutAndCancel_LeaveNoSlirpProcess()
    {
        var before = await SlirpProcessesSettledAsync(int.MaxValue);
        var timedOut = await RunAsync("sleep 30", SandboxNetwork.Internet, TimeSpan.FromSeconds(1));
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        var request = _fixture.Request("sleep 30") with { Network = SandboxNetwork.Internet };
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _runtime.RunAsync(request, cancel.Token));
        var whileIdle = await SlirpProcessesSettledAsync(before + 1);
        _runtime.Dispose();

        Assert.True(timedOut.State.TimedOut);
        Assert.False(_fixture.LeftMountPoint(request));
        Assert.True(whileIdle <= before + 1, $"{whileIdle} slirp4netns while idle, {before} before: only the prepared one may stay");
        Assert.Equal(before, await SlirpProcessesSettledAsync(before));
    }

    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Internet_WithoutSlirp4netns_IsRefusedNamingThePackage()
    {
        using var runtime = new BubblewrapRuntime(
            new RuntimeOptions { CgroupName = _fixture.Options.CgroupName, Slirp4netnsPath = "/nonexistent/slirp4netns" }, NullLogger<BubblewrapRuntime>.Instance);
        var request = _fixture.Request("true") with { Network = SandboxNetwork.Internet };

        var error = await Assert.ThrowsAsync<Contree.Core.Errors.ContreeException>(() => runtime.RunAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(Contree.Core.Errors.ContreeErrorKind.Unavailable, error.Kind);
        Assert.Contains("install the 'slirp4netns' package", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("/nonexistent", error.Message, StringComparison.Ordinal);
        Assert.False(_fixture.LeftMountPoint(request));
    }

    /// <summary>
    /// With the engine's own network as egress, slirp4netns runs in the engine's mount namespace's place: the host's shared
    /// mounts (here the test's <c>ip netns</c> namespace) must survive it. Its sandbox unmounted them before it got a
    /// private mount namespace of its own.
    /// </summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Internet_WithTheEnginesOwnEgress_LeavesTheHostsMountsAlone()
    {
        var netnsMount = "/run/netns/" + _internet.Internet!.EgressNamespace;
        using var runtime = new BubblewrapRuntime(new RuntimeOptions { CgroupName = _fixture.Options.CgroupName }, NullLogger<BubblewrapRuntime>.Instance);
        Assert.Contains(Contree.Engine.Runtime.MountInfo.Read(), m => m.MountPoint == netnsMount);

        for (var i = 0; i < 3; i++)
        {
            var result = await runtime.RunAsync(_fixture.Request("true") with { Network = SandboxNetwork.Internet }, TestContext.Current.CancellationToken);
            Assert.Equal(0, result.State.ExitCode);
        }

        Assert.Contains(Contree.Engine.Runtime.MountInfo.Read(), m => m.MountPoint == netnsMount);
    }

    /// <summary>
    /// files.test and other.test are the same host (one address): the listed name resolves and downloads, also by a
    /// client that ignores proxy variables and dials the address itself; the other name neither resolves nor gets
    /// through with its Host header on the same address, and the run's stderr says what was refused.
    /// </summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task AllowedHosts_AdmitTheListedNameAndRefuseAnotherOnTheSameHost()
    {
        var result = await RunAsync(
            $"nslookup files.test | grep -c {TestInternet.PublicAddress}; nslookup other.test >/dev/null 2>&1 || echo other-unresolved; "
            + $"{Get(TestInternet.PublicAddress + ":80")} files.test; {Get(TestInternet.PublicAddress + ":80")} other.test; cat /etc/resolv.conf",
            SandboxNetwork.Internet,
            allowedHosts: ["files.test"]);

        Assert.Equal(
            $"1\nother-unresolved\n{TestInternet.FileContent}contree: other.test is not in this run's allowed_hosts (files.test)\nnameserver {EgressGuard.Address}\n",
            SandboxFixture.Text(result.Stdout));
        Assert.EndsWith("contree: this run may reach only its allowed_hosts (files.test); refused: other.test\n", SandboxFixture.Text(result.Stderr), StringComparison.Ordinal);
    }

    /// <summary>
    /// A server takes an absolute URL's host over the Host header (RFC 9112 §3.2.2): a request dialled to the shared
    /// address with the listed Host but another host in its URL is refused; with the listed host in both it is
    /// forwarded (as origin-form, which busybox httpd needs).
    /// </summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task AllowedHosts_AnAbsoluteUrlNamingAnotherHostThanItsHostHeader_IsRefused()
    {
        var address = $"{TestInternet.PublicAddress} 80";
        var result = await RunAsync(
            $"nslookup files.test >/dev/null; syscall-probe http {address} http://other.test/{TestInternet.FileName} files.test; "
            + $"syscall-probe http {address} http://files.test/{TestInternet.FileName} files.test",
            SandboxNetwork.Internet,
            allowedHosts: ["files.test"]);

        Assert.Equal(
            $"contree: the request's target names another host than its Host header\n{TestInternet.FileContent}",
            SandboxFixture.Text(result.Stdout));
    }

    /// <summary>
    /// busybox wget, a real client: through the run's http_proxy (what it uses by default), refused with the proxy's
    /// 403 for the other name, and with its proxy off (<c>-Y off</c>: resolves and dials itself) redirected and admitted.
    /// </summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task AllowedHosts_Wget_WithAndWithoutItsProxy()
    {
        var url = "http://{0}/" + TestInternet.FileName;
        var result = await RunAsync(
            $"wget -q -O - {string.Format(CultureInfo.InvariantCulture, url, "files.test")}; echo rc=$?; "
            + $"wget -q -O - {string.Format(CultureInfo.InvariantCulture, url, "other.test")}; echo rc=$?; "
            + $"wget -Y off -q -O - {string.Format(CultureInfo.InvariantCulture, url, "files.test")}; echo rc=$?; "
            + $"wget -Y off -q -O - {string.Format(CultureInfo.InvariantCulture, url, "other.test")} 2>/dev/null; echo rc=$?",
            SandboxNetwork.Internet,
            allowedHosts: ["files.test"]);

        Assert.Equal($"{TestInternet.FileContent}rc=0\nrc=1\n{TestInternet.FileContent}rc=0\nrc=1\n", SandboxFixture.Text(result.Stdout));
        Assert.StartsWith("wget: server returned error: HTTP/1.1 403 Forbidden\n", SandboxFixture.Text(result.Stderr), StringComparison.Ordinal);
    }

    /// <summary>
    /// A client that stays silent first (as for a protocol where the server speaks first) is still judged by what it
    /// then sends: waiting is no way around the Host check. The listed host still downloads that way.
    /// </summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task AllowedHosts_AClientThatWaitsBeforeSpeaking_IsStillJudgedByItsHost()
    {
        var result = await RunAsync(
            $"nslookup files.test >/dev/null; export PROBE_DELAY_MS=1500; {Get(TestInternet.PublicAddress + ":80")} other.test; {Get(TestInternet.PublicAddress + ":80")} files.test",
            SandboxNetwork.Internet,
            allowedHosts: ["files.test"]);

        Assert.Equal($"contree: other.test is not in this run's allowed_hosts (files.test)\n{TestInternet.FileContent}", SandboxFixture.Text(result.Stdout));
    }

    /// <summary>A protocol where the server speaks first (SSH's banner) carries no name: admitted by the listed name's address.</summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task AllowedHosts_AServerThatSpeaksFirst_IsReachedAtAListedAddress()
    {
        var result = await RunAsync(
            $"nslookup files.test >/dev/null; sleep 3 | nc {TestInternet.PublicAddress} {TestInternet.BannerPort}",
            SandboxNetwork.Internet,
            allowedHosts: ["files.test"]);

        Assert.Equal(TestInternet.Banner + "\n", SandboxFixture.Text(result.Stdout));
    }

    /// <summary>A client that honours http_proxy (absolute URL or CONNECT) gets the listed host, and a 403 naming the other.</summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task AllowedHosts_ProxyHonouringClients_ReachOnlyTheListedHost()
    {
        var proxy = $"{EgressGuard.Address} {EgressGuard.ProxyPort}";
        var result = await RunAsync(
            $"echo $http_proxy; syscall-probe http {proxy} http://files.test/{TestInternet.FileName} files.test; "
            + $"syscall-probe http {proxy} http://other.test/{TestInternet.FileName} other.test; "
            + $"syscall-probe tunnel {proxy} files.test:80 /{TestInternet.FileName}; syscall-probe tunnel {proxy} other.test:80 /{TestInternet.FileName}; "
            + $"syscall-probe http {proxy} http://{TestInternet.PublicAddress}/{TestInternet.FileName} {TestInternet.PublicAddress}",
            SandboxNetwork.Internet,
            allowedHosts: ["files.test", "*.cdn.test"]);

        // The last request names the shared address itself, whose default site could be another name's: refused.
        Assert.Equal(
            $"http://{EgressGuard.Address}:{EgressGuard.ProxyPort}\n{TestInternet.FileContent}contree: other.test is not in this run's allowed_hosts (files.test, *.cdn.test)\n"
            + $"{TestInternet.FileContent}HTTP/1.1 403 Forbidden\n"
            + $"contree: {TestInternet.PublicAddress} is not in this run's allowed_hosts (files.test, *.cdn.test)\n",
            SandboxFixture.Text(result.Stdout));
    }

    /// <summary>
    /// TLS is admitted by its server name (the plain HTTP server then answers the hello with 400, proving it got
    /// through); an address no listed name resolved to, other UDP and the DNS forwarder itself are out of reach.
    /// </summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task AllowedHosts_TlsByServerName_AndNoWayAroundTheResolver()
    {
        var target = $"{TestInternet.PublicAddress} 80";
        var result = await RunAsync(
            $"{Get(TestInternet.PublicAddress + ":80")} files.test; nslookup files.test >/dev/null; syscall-probe tls {target} files.test; syscall-probe tls {target} other.test; "
            + $"nslookup other.test {EgressRules.DnsAddress} >/dev/null 2>&1 || echo direct-dns-refused",
            SandboxNetwork.Internet,
            allowedHosts: ["files.test"]);

        Assert.Equal("closed\nHTTP/1.1 400 Bad Request\nclosed\ndirect-dns-refused\n", SandboxFixture.Text(result.Stdout));
        var stderr = SandboxFixture.Text(result.Stderr);
        Assert.Contains($"{TestInternet.PublicAddress}:80 (no allowed host resolved to this address)", stderr, StringComparison.Ordinal);
        Assert.Contains("other.test (TLS to", stderr, StringComparison.Ordinal);
    }

    /// <summary>A listed name does not open a denied range: the proxy's own connection is refused by the same rules.</summary>
    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task AllowedHosts_AListedNameInADeniedRange_StaysUnreachable()
    {
        var result = await RunAsync(
            $"nslookup private.test | grep -c {TestInternet.PrivateAddress}; {Get(TestInternet.PrivateAddress + ":80")} private.test",
            SandboxNetwork.Internet,
            allowedHosts: ["private.test"]);

        Assert.Equal("1\ncontree: could not connect to private.test: HostUnreachable\n", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.NetworkSkipReason, SkipUnless = nameof(CanRun))]
    public async Task AllowedHosts_TimeoutWithAnOpenConnection_EndsTheRunAndItsGuard()
    {
        var result = await RunAsync(
            $"nslookup files.test >/dev/null; syscall-probe tunnel {EgressGuard.Address} {EgressGuard.ProxyPort} files.test:80 /{TestInternet.FileName}; sleep 30",
            SandboxNetwork.Internet,
            TimeSpan.FromSeconds(2),
            ["files.test"]);

        Assert.True(result.State.TimedOut);
        Assert.Equal(TestInternet.FileContent, SandboxFixture.Text(result.Stdout));
    }

    public void Dispose() => _runtime.Dispose();

    /// <summary>The C probe's HTTP GET of the test file from <paramref name="target"/> (address:port).</summary>
    private static string Get(string target) => $"syscall-probe http {target.Replace(':', ' ')} /{TestInternet.FileName}";

    private async Task<SandboxResult> RunAsync(string command, SandboxNetwork network, TimeSpan? timeout = null, IReadOnlyList<string>? allowedHosts = null)
    {
        var request = _fixture.Request(command) with
        {
            Network = network,
            AllowedHosts = allowedHosts,
            Timeout = timeout ?? TimeSpan.FromSeconds(30),
            LowerDirectories = [Adversarial.ProbeLayer.Directory, _fixture.Lower],
        };
        var result = await _runtime.RunAsync(request, TestContext.Current.CancellationToken);
        Assert.False(_fixture.LeftMountPoint(request));
        return result;
    }

    /// <summary>The slirp4netns count once it is at most <paramref name="atMost"/> (they are reaped in the background), or after 10 s.</summary>
    private async Task<int> SlirpProcessesSettledAsync(int atMost)
    {
        var watch = Stopwatch.StartNew();
        var count = SlirpProcesses();
        while (count > atMost && watch.Elapsed < TimeSpan.FromSeconds(10))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
            count = SlirpProcesses();
        }

        return count;
    }

    /// <summary>
    /// slirp4netns processes of this class: they run in its test internet's egress namespace (other classes run theirs
    /// in the engine's own network at the same time).
    /// </summary>
    private int SlirpProcesses()
    {
        // The ip-netns file is the namespace's inode; /proc/<pid>/ns/net reads "net:[<inode>]".
        var egress = $"net:[{Contree.Engine.Inspect.HostFs.Lstat("/run/netns/" + _internet.Internet!.EgressNamespace).Inode}]";
        var count = 0;
        foreach (var process in Process.GetProcessesByName("slirp4netns"))
        {
            using (process)
            {
                try
                {
                    if (new FileInfo($"/proc/{process.Id}/ns/net").LinkTarget == egress)
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
