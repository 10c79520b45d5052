using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Contree.Engine.Runtime.Network;

/// <summary>
/// The nftables ruleset of an <c>internet</c> run's network namespace (nft(8) syntax), loaded by the engine before the
/// sandbox starts. The sandbox's root has no capability over that namespace, so it cannot change them. docs/network.md.
/// </summary>
internal static class EgressRules
{
    /// <summary>slirp4netns' DNS forwarder inside the run (slirp4netns(1), default network 10.0.2.0/24).</summary>
    public const string DnsAddress = "10.0.2.3";

    /// <summary>The run's own slirp4netns network: its gateway 10.0.2.2 would be the host's loopback.</summary>
    public const string SlirpNetwork = "10.0.2.0/24";

    /// <summary>
    /// Destinations no run may reach unless an operator says otherwise: this-network, RFC 1918, shared address space
    /// (RFC 6598), loopback, link-local with cloud metadata (RFC 3927), IETF protocol assignments, benchmarking,
    /// multicast and reserved; IPv6 unique-local and link-local (RFC 4193, 4291), which the IPv4-only run cannot reach anyway.
    /// </summary>
    public static IReadOnlyList<string> DefaultDenied { get; } =
    [
        "0.0.0.0/8", "10.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "172.16.0.0/12", "192.0.0.0/24",
        "192.168.0.0/16", "198.18.0.0/15", "224.0.0.0/3", "fc00::/7", "fe80::/10",
    ];

    /// <summary>
    /// Builds the ruleset: loopback and the DNS forwarder allowed, the denied ranges and the host's own addresses refused (ICMP admin-prohibited: the caller sees EHOSTUNREACH at once).
    /// Loopback is matched by device (the rejects' own ICMP goes to the run's address through it) and by address: a
    /// connection the <c>allowed_hosts</c> table redirects to the guard keeps its first route's device in the output
    /// hook. Only loopback routes 127.0.0.0/8 here (the sandbox cannot add routes).
    /// </summary>
    public static string Build(IEnumerable<IPNetwork> denied, IEnumerable<IPAddress> hostAddresses)
    {
        var blocked = denied.Where(static n => n.BaseAddress.AddressFamily == AddressFamily.InterNetwork).Select(static n => n.ToString())
            .Concat(hostAddresses.Where(static a => a.AddressFamily == AddressFamily.InterNetwork).Select(static a => a + "/32"))
            .Append(SlirpNetwork)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return string.Create(CultureInfo.InvariantCulture, $$"""
            table ip contree {
              set denied {
                type ipv4_addr; flags interval; auto-merge;
                elements = { {{string.Join(", ", blocked)}} }
              }
              chain output {
                type filter hook output priority 0; policy accept;
                oif "lo" accept
                ip daddr 127.0.0.0/8 accept
                ip daddr {{DnsAddress}} meta l4proto { tcp, udp } th dport 53 accept
                ip daddr @denied reject with icmp type admin-prohibited
              }
            }
            table ip6 contree6 {
              chain output {
                type filter hook output priority 0; policy drop;
                oif "lo" accept
              }
            }

            """);
    }

    /// <summary>
    /// The extra table of a run with <c>allowed_hosts</c>: every TCP connection the sandbox opens beyond loopback is
    /// redirected to the run's egress proxy, which admits it by host name (docs/network.md); every other packet beyond
    /// loopback is refused, including the sandbox's own queries to slirp4netns' DNS. Only the engine's sockets, which
    /// carry <paramref name="mark"/> (SO_MARK needs CAP_NET_ADMIN over the namespace, which the sandbox lacks), pass;
    /// the <c>contree</c> table still refuses them the denied ranges.
    /// </summary>
    public static string BuildAllowedHosts(uint mark, string proxyAddress, int proxyPort) =>
        string.Create(CultureInfo.InvariantCulture, $$"""
            table ip contree_hosts {
              chain to_guard {
                type nat hook output priority -100; policy accept;
                meta mark {{mark}} accept
                ip daddr 127.0.0.0/8 accept
                meta l4proto tcp dnat to {{proxyAddress}}:{{proxyPort}}
              }
              chain output {
                type filter hook output priority 0; policy accept;
                oif "lo" accept
                ip daddr 127.0.0.0/8 accept
                meta mark {{mark}} accept
                reject with icmp type admin-prohibited
              }
            }

            """);
}
