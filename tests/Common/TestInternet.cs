using System.Diagnostics;

namespace Contree.Tests.Common;

/// <summary>
/// A stand-in for the internet that never leaves this machine: two network namespaces this fixture creates and deletes.
/// <list type="bullet">
/// <item><see cref="EgressNamespace"/> plays the engine host's network (203.0.113.1/24, a default route to the "internet";
/// it serves HTTP on its own address and on its loopback, which runs must not reach); the engine runs slirp4netns there
/// (<c>RuntimeOptions.EgressNetworkNamespace</c>), with <c>/etc/netns/&lt;name&gt;/resolv.conf</c> naming the test resolver.</item>
/// <item>The "internet" namespace holds <see cref="PublicAddress"/> (HTTP with <c>hello.txt</c>, and dnsmasq answering
/// <c>files.test</c>, <c>other.test</c> and <c>private.test</c>, and a server-speaks-first banner on <see cref="BannerPort"/>) and <see cref="PrivateAddress"/> (10.99.0.1, HTTP too),
/// a host in a range runs must not reach.</item>
/// </list>
/// Addresses are from TEST-NET-3 (RFC 5737) and 10/8: nothing here is routed beyond the two namespaces.
/// </summary>
public sealed class TestInternet : IDisposable
{
    public const string PublicAddress = "203.0.113.10";
    public const string EgressAddress = "203.0.113.1";
    public const string PrivateAddress = "10.99.0.1";
    public const string FileName = "hello.txt";
    public const string FileContent = "hello from the test internet\n";

    /// <summary>A port of the "internet" namespace where the server speaks first (like SSH): it sends <see cref="Banner"/> and closes.</summary>
    public const int BannerPort = 2222;

    public const string Banner = "SSH-2.0-contree-test";

    private readonly List<Process> _daemons = [];
    private readonly string _internet;
    private readonly string _root;

    public TestInternet()
    {
        var id = Guid.NewGuid().ToString("N")[..6];
        EgressNamespace = "ctn-egress-" + id;
        _internet = "ctn-inet-" + id;
        _root = Directory.CreateTempSubdirectory("contree-inet-").FullName;
        try
        {
            Setup(id);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    /// <summary>Serves <paramref name="bytes"/> zero bytes as <c>/&lt;name&gt;</c> from every test web server (a sparse file).</summary>
    public void ServeZeros(string name, long bytes)
    {
        using var file = File.Create(Path.Combine(_root, "www", name));
        file.SetLength(bytes);
    }

    /// <summary>Runs <paramref name="command"/> with <c>sh -c</c> in the egress namespace (the engine host's network); returns its stdout.</summary>
    public string RunInEgress(string command) => Run("/usr/sbin/ip", "netns", "exec", EgressNamespace, "/bin/busybox", "sh", "-c", command);

    /// <summary>The ip-netns(8) name to give the engine as its egress namespace.</summary>
    public string EgressNamespace { get; }

    public void Dispose()
    {
        foreach (var daemon in _daemons)
        {
            try
            {
                daemon.Kill();
                daemon.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }

            daemon.Dispose();
        }

        foreach (var name in new[] { EgressNamespace, _internet })
        {
            TryRun("/usr/sbin/ip", "netns", "del", name);
        }

        var etc = Path.Combine("/etc/netns", EgressNamespace);
        if (Directory.Exists(etc))
        {
            Directory.Delete(etc, recursive: true);
        }

        Directory.Delete(_root, recursive: true);
    }

    private void Setup(string id)
    {
        Run("/usr/sbin/ip", "netns", "add", EgressNamespace);
        Run("/usr/sbin/ip", "netns", "add", _internet);
        Run("/usr/sbin/ip", "link", "add", "cte" + id, "netns", EgressNamespace, "type", "veth", "peer", "name", "cti" + id, "netns", _internet);
        foreach (var (ns, device, address) in new[] { (EgressNamespace, "cte" + id, EgressAddress), (_internet, "cti" + id, PublicAddress) })
        {
            Run("/usr/sbin/ip", "-n", ns, "addr", "add", address + "/24", "dev", device);
            Run("/usr/sbin/ip", "-n", ns, "link", "set", device, "up");
            Run("/usr/sbin/ip", "-n", ns, "link", "set", "lo", "up");
        }

        Run("/usr/sbin/ip", "-n", EgressNamespace, "route", "add", "default", "via", PublicAddress);
        Run("/usr/sbin/ip", "-n", _internet, "addr", "add", PrivateAddress + "/32", "dev", "lo");

        var www = Directory.CreateDirectory(Path.Combine(_root, "www")).FullName;
        File.WriteAllText(Path.Combine(www, FileName), FileContent);
        Start(_internet, "/bin/busybox", "httpd", "-f", "-p", PublicAddress + ":80", "-h", www);
        Start(_internet, "/bin/busybox", "httpd", "-f", "-p", PrivateAddress + ":80", "-h", www);
        Start(_internet, "/bin/busybox", "nc", "-ll", "-p", BannerPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "-e", "/bin/busybox", "echo", Banner);
        Start(EgressNamespace, "/bin/busybox", "httpd", "-f", "-p", EgressAddress + ":8080", "-h", www);
        Start(EgressNamespace, "/bin/busybox", "httpd", "-f", "-p", "127.0.0.1:8080", "-h", www);
        Start(
            _internet, "/usr/sbin/dnsmasq", "--keep-in-foreground", "--no-resolv", "--no-hosts", "--bind-interfaces",
            "--listen-address=" + PublicAddress, "--user=root", "--pid-file=" + Path.Combine(_root, "dnsmasq.pid"),
            "--address=/files.test/" + PublicAddress, "--address=/other.test/" + PublicAddress, "--address=/private.test/" + PrivateAddress);

        var etc = Directory.CreateDirectory(Path.Combine("/etc/netns", EgressNamespace)).FullName;
        File.WriteAllText(Path.Combine(etc, "resolv.conf"), $"nameserver {PublicAddress}\n");
        WaitForHttp();
    }

    private void Start(string ns, params string[] command)
    {
        var start = new ProcessStartInfo("/usr/sbin/ip") { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["netns", "exec", ns, .. command])
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start)!;
        process.OutputDataReceived += static (_, _) => { };
        process.ErrorDataReceived += static (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _daemons.Add(process);
    }

    /// <summary>The daemons bind asynchronously; the test internet is ready once the file is served and the name resolves.</summary>
    private void WaitForHttp()
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            // bash's /dev/tcp: the host's busybox wget crashes in the static glibc's service lookup (it loads the host's NSS).
            var body = TryRun(
                "/usr/sbin/ip", "netns", "exec", EgressNamespace, "/bin/bash", "-c",
                $"exec 3<>/dev/tcp/{PublicAddress}/80 && printf 'GET /{FileName} HTTP/1.0\\r\\n\\r\\n' >&3 && sed '1,/^\\r$/d' <&3");
            var name = TryRun("/usr/sbin/ip", "netns", "exec", EgressNamespace, "/bin/busybox", "nslookup", "files.test", PublicAddress);
            if (body == FileContent && name.Contains(PublicAddress, StringComparison.Ordinal))
            {
                return;
            }

            if (deadline.Elapsed > TimeSpan.FromSeconds(20))
            {
                throw new InvalidOperationException($"the test internet did not come up: http '{body}', dns '{name}'");
            }

            // Nothing announces that busybox httpd and dnsmasq are listening.
            Thread.Sleep(50);
        }
    }

    private static string Run(string file, params string[] arguments)
    {
        var (code, output, errors) = HostCommand.Run(file, arguments);
        return code == 0 ? output : throw new InvalidOperationException($"{file} {string.Join(' ', arguments)} exited {code}: {errors}");
    }

    private static string TryRun(string file, params string[] arguments) => HostCommand.Run(file, arguments).Stdout;
}
