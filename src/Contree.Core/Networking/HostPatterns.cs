using System.Net;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Core.Networking;

/// <summary>
/// The rules of a run's <c>allowed_hosts</c>, owned here for the tool, the <c>/v1</c> server and the engine alike: an
/// entry is a host name (<c>pypi.org</c>, exact) or <c>*.</c> and a domain (<c>*.pythonhosted.org</c>, every name below
/// it, not the domain itself). Names compare case-insensitively without a trailing dot. docs/network.md.
/// </summary>
public static class HostPatterns
{
    /// <summary>More entries than any package index needs; each one is matched per connection.</summary>
    public const int MaxEntries = 256;

    /// <summary>
    /// The entries in canonical form (lower case, no trailing dot, duplicates removed, order kept), or an
    /// <see cref="ContreeErrorKind.InvalidArgument"/> naming the first bad one.
    /// </summary>
    public static IReadOnlyList<string> Normalize(IEnumerable<string?> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var result = new List<string>();
        foreach (var entry in entries)
        {
            var normalized = NormalizeOne(entry);
            if (!result.Contains(normalized, StringComparer.Ordinal))
            {
                result.Add(normalized);
            }
        }

        if (result.Count == 0)
        {
            throw ContreeException.InvalidArgument("allowed_hosts must name at least one host; to keep the run offline use network='none', to allow every public host leave allowed_hosts out");
        }

        return result.Count <= MaxEntries
            ? result
            : throw ContreeException.InvalidArgument($"allowed_hosts has {result.Count} entries; at most {MaxEntries} are accepted (use '*.domain' patterns)");
    }

    /// <summary>
    /// The networking of a run limited to <paramref name="entries"/> (canonical, see <see cref="Normalize"/>); refused
    /// when the run has no network, since nothing could be reached.
    /// </summary>
    public static InstanceNetworking Restrict(bool networkEnabled, IEnumerable<string?> entries) =>
        networkEnabled
            ? new InstanceNetworking { Enabled = true, AllowedHosts = Normalize(entries) }
            : throw ContreeException.InvalidArgument(
                "allowed_hosts needs a network: leave network out or set it to 'internet' (on /v1: networking.enabled true) to reach only the listed hosts");

    /// <summary>Whether <paramref name="host"/> (any case, trailing dot or not) is one of the canonical <paramref name="patterns"/>.</summary>
    public static bool Matches(IReadOnlyList<string> patterns, string host)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(host);
        var name = host.TrimEnd('.').ToLowerInvariant();
        foreach (var pattern in patterns)
        {
            if (pattern.StartsWith("*.", StringComparison.Ordinal)
                ? name.Length > pattern.Length - 1 && name.EndsWith(pattern[1..], StringComparison.Ordinal)
                : name == pattern)
            {
                return true;
            }
        }

        return false;
    }

    private static string NormalizeOne(string? entry)
    {
        var text = entry?.Trim() ?? string.Empty;
        var name = text.TrimEnd('.').ToLowerInvariant();
        var domain = name.StartsWith("*.", StringComparison.Ordinal) ? name[2..] : name;
        if (IPAddress.TryParse(domain.Trim('[', ']'), out _))
        {
            throw ContreeException.InvalidArgument($"allowed_hosts takes host names, not addresses: '{text}'; name the host whose address it is");
        }

        // LDH (RFC 1123 §2.1): on top of the host-name syntax, no label starts or ends with '-'.
        if (!HostNames.TryNormalize(domain, out _) || domain.Split('.').Any(static l => l[0] == '-' || l[^1] == '-'))
        {
            throw ContreeException.InvalidArgument($"allowed_hosts entry '{text}' is not a host name or '*.domain' pattern (letters, digits, '-' and '_' in dot-separated labels, e.g. 'pypi.org' or '*.pythonhosted.org')");
        }

        return name;
    }
}
