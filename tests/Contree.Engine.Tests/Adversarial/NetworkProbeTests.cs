using System.Net;
using System.Net.Sockets;
using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// Services listening on the host's loopback, TCP or abstract unix sockets (which belong to a network namespace), are
/// out of reach of a sandbox with its own network; with the host network (asked for explicitly) both are reachable,
/// which shows the probe can tell.
/// </summary>
public sealed class NetworkProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const int Econnrefused = 111;

    public static bool CanRun => HostRequirements.CanRunProbes;

    [Theory(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData(false, Econnrefused)]
    [InlineData(true, 0)]
    public async Task HostLoopbackTcpService_IsReachableOnlyWithHostNetwork(bool hostNetwork, int expected)
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;

        Assert.Equal(expected, await ProbeLayer.RunAsync(fixture, fixture.Runtime, $"tcp_loopback:{port}", hostNetwork));
    }

    [Theory(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData(false, Econnrefused)]
    [InlineData(true, 0)]
    public async Task HostAbstractUnixSocket_IsReachableOnlyWithHostNetwork(bool hostNetwork, int expected)
    {
        var name = "contree-probe-" + Guid.NewGuid().ToString("N");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint("\0" + name));
        listener.Listen();

        Assert.Equal(expected, await ProbeLayer.RunAsync(fixture, fixture.Runtime, $"unix_abstract:{name}", hostNetwork));
    }

    /// <summary>
    /// A socket bound to a host path (like the Docker socket) is a file: no sandbox sees the host's files, with or
    /// without the host network. On the host the same probe connects.
    /// </summary>
    [Theory(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData(false)]
    [InlineData(true)]
    public async Task HostPathUnixSocket_IsNeverReachable(bool hostNetwork)
    {
        const int Enoent = 2;
        var path = Path.Combine(Path.GetTempPath(), "contree-probe-" + Guid.NewGuid().ToString("N")[..12] + ".sock");
        using var listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        listener.Bind(new UnixDomainSocketEndPoint(path));
        listener.Listen();
        try
        {
            Assert.Equal(Enoent, await ProbeLayer.RunAsync(fixture, fixture.Runtime, $"unix_path:{path}", hostNetwork));
            Assert.Equal($"unix_path:{path} 0\n", SandboxFixture.Host(Path.Combine(ProbeLayer.Directory, "usr", "local", "bin", "syscall-probe"), $"unix_path:{path}"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
