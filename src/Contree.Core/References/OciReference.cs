using System.Net;
using System.Text.RegularExpressions;
using Contree.Core.Errors;

namespace Contree.Core.References;

/// <summary>
/// A parsed OCI image reference: <c>[docker://|oci://][registry/]repository[:tag|@digest]</c>.
/// </summary>
/// <remarks>
/// Grammar of the distribution reference format (github.com/distribution/reference, reference.go): the
/// first path component is a registry when it contains '.' or ':' or is <c>localhost</c>; otherwise the
/// registry is <c>docker.io</c> and a single-component name gets the <c>library/</c> prefix. So
/// <c>docker://python:3.11-slim</c> is <c>docker.io/library/python:3.11-slim</c>.
/// </remarks>
public sealed partial record OciReference
{
    public const string DockerHub = "docker.io";

    /// <summary>Longest registry/repository name (NameTotalLengthMax of the distribution reference grammar).</summary>
    public const int MaxNameLength = 255;

    /// <summary>Lower-case registry host, with port if any (e.g. <c>docker.io</c>, <c>127.0.0.1:5000</c>).</summary>
    public required string Registry { get; init; }

    /// <summary>Repository path, e.g. <c>library/alpine</c>.</summary>
    public required string Repository { get; init; }

    /// <summary>Tag; null when a digest was given without one. Defaults to <c>latest</c> when neither was given.</summary>
    public string? Tag { get; init; }

    /// <summary>Digest such as <c>sha256:…</c>, when the reference pins one.</summary>
    public string? Digest { get; init; }

    /// <summary>What to ask the registry's manifest endpoint for: the digest if pinned, else the tag.</summary>
    public string ManifestReference => Digest ?? Tag ?? "latest";

    /// <summary>The host that serves the registry API (<c>registry-1.docker.io</c> for Docker Hub).</summary>
    public string ApiHost => Registry == DockerHub ? "registry-1.docker.io" : Registry;

    /// <summary>True for registries on this machine (localhost, 127.0.0.0/8, ::1), reached over plain HTTP.</summary>
    public bool IsLoopback => IsLoopbackHost(Registry);

    /// <summary>Base URI of the registry API: plain HTTP only for loopback or explicitly insecure registries.</summary>
    public Uri ApiBaseUri(IEnumerable<string>? insecureRegistries = null)
    {
        var insecure = IsLoopback || (insecureRegistries?.Any(r => string.Equals(r, Registry, StringComparison.OrdinalIgnoreCase)) ?? false);
        return new Uri($"{(insecure ? "http" : "https")}://{ApiHost}/");
    }

    /// <summary>Canonical text: <c>docker://registry/repository[:tag][@digest]</c>.</summary>
    public override string ToString() =>
        $"docker://{Registry}/{Repository}{(Tag is null ? "" : ":" + Tag)}{(Digest is null ? "" : "@" + Digest)}";

    public static OciReference Parse(string text) =>
        TryParse(text, out var reference, out var error) ? reference : throw ContreeException.InvalidArgument(error);

    public static bool TryParse(string? text, out OciReference reference, out string error)
    {
        reference = null!;
        var input = (text ?? "").Trim();
        var rest = input;
        foreach (var scheme in (string[])["docker://", "oci://"])
        {
            if (rest.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                rest = rest[scheme.Length..];
                break;
            }
        }

        if (rest.Length == 0)
        {
            error = $"Invalid image reference '{input}': it is empty. Expected [docker://][registry/]name[:tag|@digest].";
            return false;
        }

        string? digest = null;
        var at = rest.IndexOf('@', StringComparison.Ordinal);
        if (at >= 0)
        {
            digest = rest[(at + 1)..];
            rest = rest[..at];
            if (!DigestPattern().IsMatch(digest))
            {
                error = $"Invalid image reference '{input}': '{digest}' is not a digest (expected algorithm:hex, e.g. sha256:…).";
                return false;
            }
        }

        string? tag = null;
        var lastSlash = rest.LastIndexOf('/');
        var colon = rest.LastIndexOf(':');
        if (colon > lastSlash)
        {
            tag = rest[(colon + 1)..];
            rest = rest[..colon];
            if (!TagPattern().IsMatch(tag))
            {
                error = $"Invalid image reference '{input}': '{tag}' is not a valid tag (letters, digits, '_', '.', '-'; at most 128).";
                return false;
            }
        }

        var registry = DockerHub;
        var firstSlash = rest.IndexOf('/', StringComparison.Ordinal);
        if (firstSlash > 0)
        {
            var first = rest[..firstSlash];
            if (first.Contains('.', StringComparison.Ordinal) || first.Contains(':', StringComparison.Ordinal) || first == "localhost")
            {
                registry = first.ToLowerInvariant();
                rest = rest[(firstSlash + 1)..];
            }
        }

        if (!IsRegistryHost(registry))
        {
            error = $"Invalid image reference '{input}': registry '{registry}' must be a host name or IP address with an optional port (1-65535).";
            return false;
        }

        if (registry is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com")
        {
            registry = DockerHub;
        }

        if (registry == DockerHub && !rest.Contains('/', StringComparison.Ordinal))
        {
            rest = "library/" + rest;
        }

        if (rest.Length == 0 || rest.Split('/').Any(component => !ComponentPattern().IsMatch(component)))
        {
            error = $"Invalid image reference '{input}': repository '{rest}' must be lower-case path components of letters, digits and separators.";
            return false;
        }

        if (registry.Length + 1 + rest.Length > MaxNameLength)
        {
            error = $"Invalid image reference '{Shorten(input)}': the name is longer than {MaxNameLength} characters.";
            return false;
        }

        if (tag is null && digest is null)
        {
            tag = "latest";
        }

        reference = new OciReference { Registry = registry, Repository = rest, Tag = tag, Digest = digest };
        error = "";
        return true;
    }

    /// <summary>True for <c>localhost</c>, 127.0.0.0/8 and ::1, with or without a port.</summary>
    public static bool IsLoopbackHost(string hostWithPort)
    {
        var host = hostWithPort;
        if (host.StartsWith('['))
        {
            var end = host.IndexOf(']', StringComparison.Ordinal);
            host = end > 0 ? host[1..end] : host;
        }
        else if (host.Count(c => c == ':') == 1)
        {
            host = host[..host.IndexOf(':', StringComparison.Ordinal)];
        }

        return host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
            || (IPAddress.TryParse(host, out var address) && IPAddress.IsLoopback(address));
    }

    /// <summary>
    /// A registry as the distribution grammar allows it: DNS labels or an IPv4 address, or an IPv6 address in brackets,
    /// with an optional port. Anything else (<c>file:</c>, <c>localhost:abc</c>) is no host to connect to.
    /// </summary>
    private static bool IsRegistryHost(string registry)
    {
        var match = RegistryPattern().Match(registry);
        return match.Success
            && (!match.Groups["port"].Success || (int.TryParse(match.Groups["port"].ValueSpan, out var port) && port is > 0 and <= 65535));
    }

    /// <summary>The start of a long input, so an error never repeats kilobytes of it.</summary>
    private static string Shorten(string input) => input.Length <= 100 ? input : input[..100] + "…";

    [GeneratedRegex(@"^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::(?<port>[0-9]{1,5}))?$")]
    private static partial Regex RegistryPattern();

    [GeneratedRegex("^[a-z0-9]+(?:(?:[._]|__|[-]+)[a-z0-9]+)*$")]
    private static partial Regex ComponentPattern();

    [GeneratedRegex("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex("^[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}$")]
    private static partial Regex DigestPattern();
}
