using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Contree.Server.Hosting;
using Contree.Server.Tests.Support;
using Contree.Tests.Common;

namespace Contree.Server.Tests.Hosting;

/// <summary>A port already taken: the server exits 1 with one line saying which address and which flag changes it.</summary>
public sealed class AddressInUseTests : IDisposable
{
    private readonly TestDirectory _home = new();

    public void Dispose() => _home.Dispose();

    [Theory]
    [InlineData("http")]
    [InlineData("api")]
    public async Task PortTaken_ExitsWithOneLineNamingTheAddressAndFlag(string command)
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port.ToString(CultureInfo.InvariantCulture);
        string[] args = command == "http"
            ? ["--mode", "http", "--http-port", port, "--data-dir", _home.Combine("data")]
            : ["api", "--port", port, "--data-dir", _home.Combine("data")];

        var (exitCode, _, stderr) = await ServerExecutable.RunAsync(args, ServerExecutable.Environment(_home.Path));

        var flag = command == "http" ? "--http-port" : "--port";
        Assert.Equal(1, exitCode);
        Assert.Contains(
            $"contree-mcp: error: cannot listen on 127.0.0.1:{port}: the address is already in use; stop the other server or choose another port with {flag}",
            stderr,
            StringComparison.Ordinal);
    }

    [Fact]
    public void IsAddressInUse_ReadsTheSocketErrorCodeNotTheMessage()
    {
        var wrapped = new IOException("Failed to bind", new InvalidOperationException("bind", new SocketException((int)SocketError.AddressAlreadyInUse)));
        var otherError = new IOException("Failed to bind", new SocketException((int)SocketError.AccessDenied));
        var textOnly = new IOException("address already in use");

        Assert.True(ServerEntryPoint.IsAddressInUse(wrapped));
        Assert.False(ServerEntryPoint.IsAddressInUse(otherError));
        Assert.False(ServerEntryPoint.IsAddressInUse(textOnly));
    }
}
