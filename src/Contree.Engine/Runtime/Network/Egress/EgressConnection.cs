using System.Net;
using System.Net.Sockets;

namespace Contree.Engine.Runtime.Network.Egress;

/// <summary>
/// One TCP connection of a sandbox with <c>allowed_hosts</c>, accepted by <see cref="EgressGuard"/>: either redirected
/// by the run's rules (its original destination from conntrack) or sent to the proxy on purpose by a client that
/// honours <c>http_proxy</c>. Nothing reaches a server before the connection has shown an allowed name.
/// </summary>
internal sealed partial class EgressConnection(EgressGuard guard, Socket client)
{
    private const int MaxHead = 64 * 1024;

    /// <summary>How long a redirected connection may stay silent before it counts as a protocol without a name (SSH: the server speaks first).</summary>
    private static readonly TimeSpan FirstBytesWait = TimeSpan.FromSeconds(1);

    private static readonly TimeSpan HeadWait = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan ConnectWait = TimeSpan.FromSeconds(15);

    private readonly byte[] _buffer = new byte[MaxHead];
    private int _count;

    public async Task RunAsync()
    {
        var stop = guard.Stopping;
        using var closeOnStop = stop.Register(static s => ((Socket)s!).Dispose(), client);
        using (client)
        {
            try
            {
                var destination = OriginalDestination(client);
                if (destination is null || (destination.Address.Equals(IPAddress.Parse(EgressGuard.Address)) && destination.Port == EgressGuard.ProxyPort))
                {
                    await AsProxyAsync(stop);
                }
                else if (guard.WasResolved(destination.Address))
                {
                    await ServeAsync(ct => ConnectAsync([destination.Address], destination.Port, ct), destination.ToString(), stop);
                }
                else
                {
                    guard.Refuse($"{destination} (no allowed host resolved to this address)");
                }
            }
            catch (Exception exception) when (exception is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
            {
                // The sandbox or the server hung up, or the run ended: the connection simply ends.
            }
        }
    }

    /// <summary>
    /// Admits the connection by the name its first bytes carry: a TLS server name or an HTTP <c>Host</c>; a protocol
    /// with neither (including one where the server speaks first) was admitted by address or CONNECT target already.
    /// </summary>
    private async Task ServeAsync(Func<CancellationToken, Task<Socket>> connect, string destination, CancellationToken stop)
    {
        Socket? early = null;
        try
        {
            if (_count == 0)
            {
                var read = await ReadMoreAsync(FirstBytesWait, stop);
                if (read == 0)
                {
                    return;
                }

                if (read is null)
                {
                    // Silent: perhaps a protocol where the server speaks first (SSH, SMTP). Connect and let whoever
                    // speaks first decide; a client that merely waited is still judged by what it then sends.
                    early = await connect(stop);
                    if (await ServerSpeaksFirstAsync(early, stop))
                    {
                        await SpliceAsync(early, stop);
                        return;
                    }

                    var opened = early;
                    connect = _ => Task.FromResult(opened);
                    if (await ReadMoreAsync(HeadWait, stop) is null or 0)
                    {
                        return;
                    }
                }
            }

            await ClassifyAsync(connect, destination, stop);
        }
        finally
        {
            // Handed on, it was disposed there already (disposing twice is harmless); refused, it goes here.
            early?.Dispose();
        }
    }

    /// <summary>
    /// Whether the server sends before the client: zero-byte receives complete when data is there without taking
    /// any, so nothing the client sends passes unjudged.
    /// </summary>
    private async Task<bool> ServerSpeaksFirstAsync(Socket upstream, CancellationToken stop)
    {
        using var race = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var clientReady = client.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, race.Token).AsTask();
        var serverReady = upstream.ReceiveAsync(Memory<byte>.Empty, SocketFlags.None, race.Token).AsTask();
        var first = await Task.WhenAny(clientReady, serverReady);
        await race.CancelAsync();
        await ((Task)Task.WhenAll(clientReady, serverReady)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        stop.ThrowIfCancellationRequested();
        return first == serverReady && !clientReady.IsCompletedSuccessfully;
    }

    /// <summary>Judges what the client sent first: a TLS server name, an HTTP request, or neither.</summary>
    private async Task ClassifyAsync(Func<CancellationToken, Task<Socket>> connect, string destination, CancellationToken stop)
    {
        while (true)
        {
            var data = _buffer.AsSpan(0, _count);
            if (_count > 0 && data[0] == 0x16)
            {
                switch (TlsClientHello.TryReadServerName(data, out var serverName))
                {
                    case SniResult.NeedMore:
                        if (await ReadMoreAsync(HeadWait, stop) is null or 0)
                        {
                            return;
                        }

                        continue;
                    case SniResult.Found when guard.Allows(serverName!):
                        await SpliceAsync(await connect(stop), stop);
                        return;
                    case SniResult.Found:
                        guard.Refuse($"{serverName} (TLS to {destination})");
                        return;
                    case SniResult.NoServerName or SniResult.Malformed:
                        guard.Refuse($"TLS without a server name to {destination}");
                        return;
                    default:
                        break;
                }
            }

            HttpRequestHead? head = null;
            var headLength = 0;
            var parse = _count == 0 ? HttpParse.NotHttp : HttpRequestHead.TryParse(data, out head, out headLength);
            switch (parse)
            {
                case HttpParse.NeedMore:
                    if (await ReadMoreAsync(HeadWait, stop) is null or 0)
                    {
                        return;
                    }

                    continue;
                case HttpParse.Parsed:
                    var host = head!.Host is { } authority && HttpRequestHead.TrySplitAuthority(authority, 80, out var name, out _) ? name : null;
                    if (host is null)
                    {
                        guard.Refuse($"HTTP without a Host header to {destination}");
                        await RespondAsync(400, "Bad Request", "contree: an HTTP request needs a Host header naming one of the run's allowed_hosts", stop);
                    }
                    else if (OriginTarget(head, host) is { } target)
                    {
                        await ForwardHttpAsync(head, headLength, host, target, connect, stop);
                    }
                    else
                    {
                        guard.Refuse($"{head.Target} (request target other than its Host {host})");
                        await RespondAsync(400, "Bad Request", "contree: the request's target names another host than its Host header", stop);
                    }

                    return;
                case HttpParse.Malformed:
                    guard.Refuse($"a malformed HTTP request to {destination}");
                    await RespondAsync(400, "Bad Request", "contree: the egress proxy could not read this HTTP request", stop);
                    return;
                default:
                    await SpliceAsync(await connect(stop), stop);
                    return;
            }
        }
    }

    /// <summary>
    /// The target to forward for a request that names <paramref name="host"/> in its Host header: origin-form as is; an
    /// absolute URL only for the same host, as origin-form (a server takes an absolute URL's host over Host, RFC 9112
    /// §3.2.2, so it could name another); null for anything else.
    /// </summary>
    private static string? OriginTarget(HttpRequestHead head, string host)
    {
        if (head.Target.StartsWith('/') || head.Target == "*")
        {
            return head.Target;
        }

        return HttpRequestHead.TryParseAbsoluteTarget(head.Target, out var targetHost, out _, out var originForm) && targetHost == host ? originForm : null;
    }

    /// <summary>A client that sent its request to the proxy itself: <c>CONNECT host:port</c> or an absolute <c>http://</c> URL.</summary>
    private async Task AsProxyAsync(CancellationToken stop)
    {
        HttpRequestHead? head;
        int headLength;
        while (true)
        {
            var parse = HttpRequestHead.TryParse(_buffer.AsSpan(0, _count), out head, out headLength);
            if (parse == HttpParse.Parsed)
            {
                break;
            }

            if (parse != HttpParse.NeedMore || await ReadMoreAsync(HeadWait, stop) is null or 0)
            {
                await RespondAsync(400, "Bad Request", "contree: this is the run's egress proxy; send 'CONNECT host:port' or a request for an http:// URL", stop);
                return;
            }
        }

        if (string.Equals(head!.Method, "CONNECT", StringComparison.Ordinal))
        {
            if (!HttpRequestHead.TrySplitAuthority(head.Target, 443, out var host, out var port))
            {
                await RespondAsync(400, "Bad Request", $"contree: CONNECT needs host:port, got '{head.Target}'", stop);
                return;
            }

            if (!await AdmitTunnelAsync(host, stop))
            {
                return;
            }

            var upstream = await ConnectByNameAsync(host, port, stop);
            if (upstream is null)
            {
                return;
            }

            Consume(headLength);
            await client.SendAsync("HTTP/1.1 200 Connection established\r\n\r\n"u8.ToArray(), SocketFlags.None, stop);
            await ServeAsync(_ => Task.FromResult(upstream), $"{host}:{port}", stop);
            return;
        }

        if (!HttpRequestHead.TryParseAbsoluteTarget(head.Target, out var targetHost, out var targetPort, out var originForm))
        {
            await RespondAsync(400, "Bad Request", "contree: this is the run's egress proxy; send 'CONNECT host:port' or a request for an http:// URL", stop);
            return;
        }

        if (head.Host is { } hostHeader && (!HttpRequestHead.TrySplitAuthority(hostHeader, targetPort, out var headerHost, out _) || headerHost != targetHost))
        {
            guard.Refuse($"{head.Host} (Host header differs from the URL's host {targetHost})");
            await RespondAsync(400, "Bad Request", "contree: the Host header names another host than the request's URL", stop);
            return;
        }

        await ForwardHttpAsync(head, headLength, targetHost, originForm, async ct => await ConnectByNameAsync(targetHost, targetPort, ct) ?? throw new IOException("refused"), stop);
    }

    /// <summary>
    /// A <c>CONNECT</c> target: a listed name, or an address a listed name resolved to (what the tunnel then carries is
    /// judged by its own name); otherwise the client gets a 403 naming the host.
    /// </summary>
    private async Task<bool> AdmitTunnelAsync(string host, CancellationToken stop)
    {
        if (IPAddress.TryParse(host, out var address) ? guard.WasResolved(address) : guard.Allows(host))
        {
            return true;
        }

        await RefuseHostAsync(host, stop);
        return false;
    }

    private async Task RefuseHostAsync(string host, CancellationToken stop)
    {
        guard.Refuse(host);
        await RespondAsync(403, "Forbidden", $"contree: {host} is not in this run's allowed_hosts ({string.Join(", ", guard.Patterns)})", stop);
    }

    /// <summary>Connects to the first address of <paramref name="host"/> that answers; tells the client with a 502 when none does.</summary>
    private async Task<Socket?> ConnectByNameAsync(string host, int port, CancellationToken stop)
    {
        IReadOnlyList<IPAddress> addresses = IPAddress.TryParse(host, out var literal) ? [literal] : await guard.ResolveAsync(host, stop);
        try
        {
            return addresses.Count > 0 ? await ConnectAsync(addresses, port, stop) : throw new SocketException((int)SocketError.HostNotFound);
        }
        catch (SocketException exception)
        {
            await RespondAsync(502, "Bad Gateway", $"contree: could not connect to {host}:{port}: {exception.SocketErrorCode}", stop);
            return null;
        }
    }

    private async Task<Socket> ConnectAsync(IReadOnlyList<IPAddress> addresses, int port, CancellationToken stop)
    {
        SocketException? last = null;

        // Loopback here is the run's own (the guard included); a listed name that resolves there reaches nothing useful.
        foreach (var address in addresses.Where(static a => !IPAddress.IsLoopback(a)))
        {
            var upstream = await guard.OpenUpstreamAsync(SocketType.Stream, ProtocolType.Tcp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
            timeout.CancelAfter(ConnectWait);
            try
            {
                await upstream.ConnectAsync(new IPEndPoint(address, port), timeout.Token);
                return upstream;
            }
            catch (SocketException exception)
            {
                upstream.Dispose();
                last = exception;
            }
            catch (OperationCanceledException) when (!stop.IsCancellationRequested)
            {
                upstream.Dispose();
                last = new SocketException((int)SocketError.TimedOut);
            }
            catch
            {
                upstream.Dispose();
                throw;
            }
        }

        throw last ?? new SocketException((int)SocketError.HostNotFound);
    }

    /// <summary>The destination the sandbox dialled before the run's rules redirected it (SO_ORIGINAL_DST, netfilter's conntrack); null when not redirected.</summary>
    private static IPEndPoint? OriginalDestination(Socket socket)
    {
        Span<byte> address = stackalloc byte[16];
        try
        {
            // struct sockaddr_in (ip(7)): family, port (network order), address.
            return socket.GetRawSocketOption(SolIp, SoOriginalDst, address) >= 8 && address[0] == (byte)AddressFamily.InterNetwork
                ? new IPEndPoint(new IPAddress(address.Slice(4, 4)), (address[2] << 8) | address[3])
                : null;
        }
        catch (SocketException)
        {
            return null;
        }
    }

    // linux/netfilter_ipv4.h: SOL_IP, SO_ORIGINAL_DST.
    private const int SolIp = 0;
    private const int SoOriginalDst = 80;
}
