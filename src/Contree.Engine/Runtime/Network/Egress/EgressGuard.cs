using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Contree.Core.Networking;
using Microsoft.Extensions.Logging;

namespace Contree.Engine.Runtime.Network.Egress;

/// <summary>
/// Holds a run with <c>allowed_hosts</c> to its hosts (docs/network.md, "allowed_hosts"). In the run's own network
/// namespace it serves the sandbox's DNS at <see cref="Address"/>:53 (names outside the list get NXDOMAIN; answers
/// for listed names are forwarded from slirp4netns' resolver and their addresses remembered) and an egress proxy at
/// <see cref="Address"/>:<see cref="ProxyPort"/>, to which <see cref="EgressRules.BuildAllowedHosts"/> redirects every
/// TCP connection. The proxy admits a connection by the name it carries (HTTP <c>Host</c>, TLS server name, or the
/// <c>CONNECT</c> / absolute-form target of a client that honours <c>http_proxy</c>) and, for protocols that carry no
/// name, by an address a listed name resolved to. Its own sockets are marked and opened inside the run's namespace,
/// so slirp4netns carries them and the denied ranges still apply.
/// </summary>
internal sealed partial class EgressGuard : IAsyncDisposable
{
    /// <summary>Loopback address of the guard inside the run (the stub-resolver address systemd-resolved made familiar).</summary>
    public const string Address = "127.0.0.53";

    public const int ProxyPort = 3128;

    /// <summary>SO_MARK of the guard's own sockets ("cont"): the rules let only these past.</summary>
    public const uint Mark = 0x636f6e74;

    private const int MaxQueriesInFlight = 64;
    private const int MaxConnections = 256;
    private const int MaxAddresses = 4096;
    private const int MaxRefusalsKept = 20;
    private static readonly IPEndPoint Upstream = new(IPAddress.Parse(EgressRules.DnsAddress), 53);
    private static readonly TimeSpan UpstreamTimeout = TimeSpan.FromSeconds(5);

    private readonly NetworkNamespaceFactory _factory;
    private readonly RunNetworkNamespace _namespace;
    private readonly Socket _dns;
    private readonly Socket _proxy;
    private readonly string _runId;
    private readonly ILogger _logger;
    private readonly CancellationTokenSource _stop = new();
    private readonly ConcurrentDictionary<IPAddress, string> _resolved = new();
    private readonly ConcurrentDictionary<Task, bool> _work = new();
    private readonly SemaphoreSlim _queries = new(MaxQueriesInFlight);
    private readonly SemaphoreSlim _connections = new(MaxConnections);
    private readonly Lock _refusedLock = new();
    private readonly List<string> _refused = [];
    private Task? _loops;

    private EgressGuard(NetworkNamespaceFactory factory, RunNetworkNamespace network, IReadOnlyList<string> patterns, Socket dns, Socket proxy, string runId, ILogger logger)
    {
        _factory = factory;
        _namespace = network;
        Patterns = patterns;
        _dns = dns;
        _proxy = proxy;
        _runId = runId;
        _logger = logger;
    }

    /// <summary>The variables a client that honours proxies reads; a run's own values win.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> ProxyEnvironment { get; } = BuildProxyEnvironment();

    /// <summary>The canonical <c>allowed_hosts</c> of the run.</summary>
    public IReadOnlyList<string> Patterns { get; }

    /// <summary>Loads the run's rules and opens the guard's sockets inside <paramref name="network"/>.</summary>
    public static async Task<EgressGuard> StartAsync(NetworkNamespaceFactory factory, RunNetworkNamespace network, IReadOnlyList<string> patterns, string runId, ILogger logger)
    {
        await factory.LoadRulesAsync(network, EgressRules.BuildAllowedHosts(Mark, Address, ProxyPort));
        var (dns, proxy) = await factory.InsideAsync(network, static () =>
        {
            var endpoint = IPAddress.Parse(Address);
            var dns = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                dns.Bind(new IPEndPoint(endpoint, 53));
                var proxy = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                try
                {
                    proxy.Bind(new IPEndPoint(endpoint, ProxyPort));
                    proxy.Listen(MaxConnections);
                    return (dns, proxy);
                }
                catch
                {
                    proxy.Dispose();
                    throw;
                }
            }
            catch
            {
                dns.Dispose();
                throw;
            }
        });

        var guard = new EgressGuard(factory, network, patterns, dns, proxy, runId, logger);
        guard._loops = Task.WhenAll(Task.Run(guard.ServeDnsAsync), Task.Run(guard.AcceptAsync));
        return guard;
    }

    /// <summary>What the guard refused, as a line for the run's stderr, or null when it refused nothing.</summary>
    public string? RefusalNotice()
    {
        lock (_refusedLock)
        {
            return _refused.Count == 0 ? null
                : $"contree: this run may reach only its allowed_hosts ({string.Join(", ", Patterns)}); refused: {string.Join(", ", _refused)}\n";
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _dns.Dispose();
        _proxy.Dispose();
        if (_loops is not null)
        {
            await _loops.ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        // Connections end with the cancellation (their sockets close); the sandbox is gone by now. Failures were logged.
        await Task.WhenAll(_work.Keys).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        _stop.Dispose();
        _queries.Dispose();
        _connections.Dispose();
    }

    /// <summary>Whether an address came from resolving a listed name (what admits protocols without a name).</summary>
    internal bool WasResolved(IPAddress address) => _resolved.ContainsKey(address);

    internal bool Allows(string host) => HostPatterns.Matches(Patterns, host);

    internal void Refuse(string what)
    {
        lock (_refusedLock)
        {
            // The first distinct refusals tell the agent and the log enough; a flood adds nothing to either.
            if (_refused.Count >= MaxRefusalsKept || _refused.Contains(what, StringComparer.Ordinal))
            {
                return;
            }

            _refused.Add(what);
        }

        LogRefused(_runId, what);
    }

    /// <summary>A TCP or UDP socket inside the run's namespace that the rules let out.</summary>
    internal Task<Socket> OpenUpstreamAsync(SocketType type, ProtocolType protocol) =>
        _factory.InsideAsync(_namespace, () =>
        {
            var socket = new Socket(AddressFamily.InterNetwork, type, protocol);
            try
            {
                socket.SetRawSocketOption(SocketOptionLevelSocket, SoMark, BitConverter.GetBytes(Mark));
                return socket;
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        });

    /// <summary>The IPv4 addresses of a listed <paramref name="host"/>, for a client that sent the proxy its name.</summary>
    internal async Task<IReadOnlyList<IPAddress>> ResolveAsync(string host, CancellationToken cancellationToken)
    {
        var id = (ushort)Random.Shared.Next(ushort.MaxValue + 1);
        var response = await ForwardAsync(DnsPacket.Query(id, host, DnsPacket.TypeA), cancellationToken);
        var addresses = new List<IPAddress>();
        if (response is not null && DnsPacket.TryReadAddresses(response, id, addresses))
        {
            Remember(addresses, host);
        }

        return addresses;
    }

    internal CancellationToken Stopping => _stop.Token;

    private async Task ServeDnsAsync()
    {
        var buffer = new byte[4096];
        var anyone = new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _dns.ReceiveFromAsync(buffer, SocketFlags.None, anyone, _stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    break;
                }

                continue;
            }

            // A flood waits here instead of growing without bound; the sandbox's resolver retries.
            if (!await WaitAsync(_queries))
            {
                break;
            }

            var query = buffer.AsSpan(0, received.ReceivedBytes).ToArray();
            Track(AnswerAsync(query, received.RemoteEndPoint), _queries);
        }
    }

    private async Task AnswerAsync(byte[] query, EndPoint client)
    {
        if (!DnsPacket.TryReadQuestion(query, out var question))
        {
            return;
        }

        byte[] response;
        if (!Allows(question.Name))
        {
            if (!question.Name.EndsWith(".arpa", StringComparison.Ordinal))
            {
                Refuse(question.Name.Length == 0 ? "(the root name)" : question.Name);
            }

            response = DnsPacket.Answer(query, DnsPacket.RcodeNameError);
        }
        else if (question.Type == DnsPacket.TypeAaaa)
        {
            // The run has no IPv6 route: an empty answer sends clients to IPv4 at once.
            response = DnsPacket.Answer(query, DnsPacket.RcodeNoError);
        }
        else
        {
            var forwarded = await ForwardAsync(query, _stop.Token);
            var addresses = new List<IPAddress>();
            if (forwarded is not null && DnsPacket.TryReadAddresses(forwarded, question.Id, addresses))
            {
                Remember(addresses, question.Name);
                response = forwarded;
            }
            else
            {
                response = DnsPacket.Answer(query, DnsPacket.RcodeServerFailure);
            }
        }

        try
        {
            await _dns.SendToAsync(response, SocketFlags.None, client, _stop.Token);
        }
        catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
        {
        }
    }

    /// <summary>Sends a query to slirp4netns' resolver from inside the run; null when it does not answer in time.</summary>
    private async Task<byte[]?> ForwardAsync(byte[] query, CancellationToken cancellationToken)
    {
        try
        {
            using var upstream = await OpenUpstreamAsync(SocketType.Dgram, ProtocolType.Udp);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _stop.Token);
            timeout.CancelAfter(UpstreamTimeout);
            await upstream.ConnectAsync(Upstream, timeout.Token);
            await upstream.SendAsync(query, SocketFlags.None, timeout.Token);
            var buffer = new byte[65535];
            var length = await upstream.ReceiveAsync(buffer, SocketFlags.None, timeout.Token);
            return buffer[..length];
        }
        catch (Exception exception) when (exception is OperationCanceledException or SocketException)
        {
            LogUpstreamFailed(_runId, exception.Message);
            return null;
        }
    }

    private void Remember(List<IPAddress> addresses, string name)
    {
        // A listed wildcard whose DNS hands out a fresh address per query must not grow this without bound; past the
        // cap new addresses stay unknown, so connections to them are refused (closed, not open).
        foreach (var address in addresses.Where(_ => _resolved.Count < MaxAddresses))
        {
            _resolved[address] = name;
        }
    }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _proxy.AcceptAsync(_stop.Token);
            }
            catch (Exception exception) when (exception is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    break;
                }

                continue;
            }

            if (!await WaitAsync(_connections))
            {
                client.Dispose();
                break;
            }

            Track(new EgressConnection(this, client).RunAsync(), _connections);
        }
    }

    private async Task<bool> WaitAsync(SemaphoreSlim slots)
    {
        try
        {
            await slots.WaitAsync(_stop.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private void Track(Task task, SemaphoreSlim slot)
    {
        _work[task] = true;
        _ = task.ContinueWith(
            t =>
            {
                _work.TryRemove(t, out _);
                if (!_stop.IsCancellationRequested)
                {
                    slot.Release();
                }

                if (t.Exception is { } exception)
                {
                    LogConnectionFailed(exception.InnerException ?? exception, _runId);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static IReadOnlyList<KeyValuePair<string, string>> BuildProxyEnvironment()
    {
        var url = string.Create(CultureInfo.InvariantCulture, $"http://{Address}:{ProxyPort}");
        const string local = "localhost,127.0.0.1,::1";
        return
        [
            new("http_proxy", url), new("https_proxy", url), new("HTTP_PROXY", url), new("HTTPS_PROXY", url),
            new("no_proxy", local), new("NO_PROXY", local),
        ];
    }

    // socket(7): SOL_SOCKET, SO_MARK.
    private const int SocketOptionLevelSocket = 1;
    private const int SoMark = 36;
}
