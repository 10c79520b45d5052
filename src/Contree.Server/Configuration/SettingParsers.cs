using System.Globalization;
using System.Net;

namespace Contree.Server.Configuration;

/// <summary>
/// Converts raw setting text into typed values. Every failure names the option, where the value came from
/// and what is accepted; secret values are never echoed.
/// </summary>
internal static class SettingParsers
{
    public static SettingsException Invalid(SettingDefinition definition, SettingValue value, string expected)
    {
        var shown = definition.IsSecret ? "" : $" '{value.Value}'";
        return new SettingsException($"invalid value{shown} for {definition.Flag} (from {value.Source}): expected {expected}");
    }

    public static T ParseEnum<T>(SettingDefinition definition, SettingValue value, IReadOnlyDictionary<string, T> choices)
    {
        return choices.TryGetValue(value.Value.Trim().ToLowerInvariant(), out var result)
            ? result
            : throw Invalid(definition, value, "one of " + string.Join(", ", choices.Keys));
    }

    public static int ParseInt(SettingDefinition definition, SettingValue value, int min, int max)
    {
        return int.TryParse(value.Value.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var result) && result >= min && result <= max
            ? result
            : throw Invalid(definition, value, $"an integer from {min} to {max}");
    }

    public static double ParseCpus(SettingDefinition definition, SettingValue value)
    {
        return double.TryParse(value.Value.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var result)
            && result >= 0 && result <= 4096 && double.IsFinite(result)
            ? result
            : throw Invalid(definition, value, "a number of CPUs such as 0.5, 2 or 0 for unlimited");
    }

    /// <summary>A disk limit: 0 (none) or at least 1 MiB, which rules out "10" meant as gigabytes.</summary>
    public static long ParseDiskLimit(SettingDefinition definition, SettingValue value)
    {
        var bytes = ParseSize(definition, value);
        return bytes is 0 or >= 1L << 20
            ? bytes
            : throw Invalid(definition, value, "0 (no limit) or a size of at least 1m, with a k, m, g or t suffix (e.g. 4g)");
    }

    public static bool ParseBool(SettingDefinition definition, SettingValue value)
    {
        return value.Value.Trim().ToLowerInvariant() switch
        {
            "true" or "yes" or "on" or "1" => true,
            "false" or "no" or "off" or "0" => false,
            _ => throw Invalid(definition, value, "true or false (also yes/no, on/off, 1/0)"),
        };
    }

    /// <summary>Bytes with an optional binary suffix: 512m, 2g, 1048576, 64k, 1t (b, ib accepted after the suffix).</summary>
    public static long ParseSize(SettingDefinition definition, SettingValue value)
    {
        var text = value.Value.Trim().ToLowerInvariant();
        if (text.EndsWith("ib", StringComparison.Ordinal))
        {
            text = text[..^2];
        }
        else if (text.EndsWith('b'))
        {
            text = text[..^1];
        }

        var shift = text.Length > 0 ? text[^1] switch { 'k' => 10, 'm' => 20, 'g' => 30, 't' => 40, _ => 0 } : 0;
        if (shift > 0)
        {
            text = text[..^1];
        }

        if (!long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number > long.MaxValue >> shift)
        {
            throw Invalid(definition, value, "a size in bytes, optionally with a k, m, g or t suffix (e.g. 512m, 2g); 0 for unlimited");
        }

        return number << shift;
    }

    public static string ParseUrl(SettingDefinition definition, SettingValue value)
    {
        var text = value.Value.Trim();
        return Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp)
            && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.Fragment)
            ? text
            : throw Invalid(definition, value, "an absolute http:// or https:// URL without query, e.g. https://contree.dev");
    }

    /// <summary>Tokens go into an HTTP header, so control characters and spaces are refused.</summary>
    public static string ParseToken(SettingDefinition definition, SettingValue value)
    {
        var text = value.Value.Trim();
        return text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c > '~')
            ? throw Invalid(definition, value, "a token of printable ASCII characters without spaces")
            : text;
    }

    /// <summary>A project ID goes into an HTTP header like a token, with the same character rules.</summary>
    public static string ParseProject(SettingDefinition definition, SettingValue value)
    {
        var text = value.Value.Trim();
        return text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c) || c > '~')
            ? throw Invalid(definition, value, "a project ID of printable ASCII characters without spaces")
            : text;
    }

    public static string ParseListen(SettingDefinition definition, SettingValue value)
    {
        var text = value.Value.Trim();
        if (string.Equals(text, "localhost", StringComparison.OrdinalIgnoreCase))
        {
            return "localhost";
        }

        var bare = text.StartsWith('[') && text.EndsWith(']') ? text[1..^1] : text;
        return IPAddress.TryParse(bare, out var address)
            ? address.ToString()
            : throw Invalid(definition, value, "an IP address (127.0.0.1, 0.0.0.0, ::1, ::) or localhost");
    }

    public static string ParseToolPrefix(SettingDefinition definition, SettingValue value)
    {
        var text = value.Value.Trim();
        return text.Length <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.')
            ? text
            : throw Invalid(definition, value, "up to 64 letters, digits, '_', '-' or '.' (MCP tool names), or an empty string");
    }

    public static IReadOnlyList<string> ParseHostList(SettingDefinition definition, SettingValue value)
    {
        var hosts = new List<string>();
        foreach (var part in SplitList(value.Value))
        {
            if (part == "*")
            {
                hosts.Add("*");
                continue;
            }

            var bare = part.StartsWith('[') && part.EndsWith(']') ? part[1..^1] : part;
            if (IPAddress.TryParse(bare, out var address))
            {
                hosts.Add(FormatHost(address));
            }
            else if (Uri.CheckHostName(part) == UriHostNameType.Dns)
            {
                hosts.Add(part.ToLowerInvariant());
            }
            else
            {
                throw Invalid(definition, value, "comma-separated host names or IP addresses without scheme or port (e.g. myhost.lan,10.0.0.5), or *");
            }
        }

        return hosts.Count > 0 ? hosts : throw Invalid(definition, value, "at least one host name, or *");
    }

    public static IReadOnlyList<string> ParseRegistryList(SettingDefinition definition, SettingValue value)
    {
        var registries = SplitList(value.Value).ToList();
        foreach (var registry in registries)
        {
            if (registry.Contains("://", StringComparison.Ordinal) || registry.Contains('/') || !Uri.TryCreate("http://" + registry, UriKind.Absolute, out _))
            {
                throw Invalid(definition, value, "comma-separated registry hosts, each host or host:port without scheme or path (e.g. registry.lan:5000)");
            }
        }

        return registries;
    }

    /// <summary>Comma-separated CIDR ranges (<c>10.0.0.0/8, fc00::/7</c>); a bare address is one host.</summary>
    public static IReadOnlyList<System.Net.IPNetwork> ParseNetworkList(SettingDefinition definition, SettingValue value)
    {
        var networks = new List<System.Net.IPNetwork>();
        foreach (var item in SplitList(value.Value))
        {
            if (System.Net.IPNetwork.TryParse(item, out var network))
            {
                networks.Add(network);
            }
            else if (System.Net.IPAddress.TryParse(item, out var address))
            {
                networks.Add(new System.Net.IPNetwork(address, address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork ? 32 : 128));
            }
            else
            {
                throw Invalid(definition, value, "comma-separated CIDR ranges such as 10.0.0.0/8, 192.168.0.0/16 or fc00::/7");
            }
        }

        return networks;
    }

    /// <summary>An ip-netns(8) name: a file name under /run/netns.</summary>
    public static string? ParseNamespaceName(SettingDefinition definition, SettingValue value)
    {
        var name = value.Value.Trim();
        return name.Length is > 0 and <= 255 && name.All(static c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && name is not "." and not ".."
            ? name
            : throw Invalid(definition, value, "the name of a network namespace made with 'ip netns add' (letters, digits, '-', '_', '.')");
    }

    public static readonly IReadOnlyDictionary<string, LogLevel> LogLevels = new Dictionary<string, LogLevel>
    {
        ["critical"] = LogLevel.Critical,
        ["fatal"] = LogLevel.Critical,
        ["error"] = LogLevel.Error,
        ["warning"] = LogLevel.Warning,
        ["warn"] = LogLevel.Warning,
        ["info"] = LogLevel.Information,
        ["debug"] = LogLevel.Debug,
        ["trace"] = LogLevel.Trace,
        ["notset"] = LogLevel.Trace,
    };

    /// <summary>Host text as it appears in a Host header: IPv6 in brackets.</summary>
    public static string FormatHost(IPAddress address) =>
        address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{address}]" : address.ToString();

    private static IEnumerable<string> SplitList(string text) =>
        text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
}
