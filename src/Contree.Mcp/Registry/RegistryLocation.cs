using Contree.Core.Errors;
using Contree.Core.References;

namespace Contree.Mcp.Registry;

/// <summary>
/// Which registry a <c>registry_url</c> names, and the repository when it names one. Image references are parsed as
/// OCI references (<c>docker://python:3.11-slim</c> → docker.io, <c>ghcr.io/org/img</c> → ghcr.io),
/// and a bare host such as <c>ghcr.io</c> or <c>127.0.0.1:5000</c> names the registry itself.
/// </summary>
internal sealed record RegistryLocation(string Registry, string? Repository)
{
    /// <summary>Docker Hub serves its API from <c>registry-1.docker.io</c>; every other registry from its own host.</summary>
    public string ApiHost => Registry == OciReference.DockerHub ? "registry-1.docker.io" : Registry;

    public static RegistryLocation Parse(string? registryUrl)
    {
        var text = (registryUrl ?? "").Trim();
        if (text.Length == 0)
        {
            throw ContreeException.InvalidArgument("registry_url is required, e.g. docker://ghcr.io/org/image or docker.io");
        }

        var rest = text;
        foreach (var scheme in (string[])["docker://", "oci://", "https://", "http://"])
        {
            if (rest.StartsWith(scheme, StringComparison.OrdinalIgnoreCase))
            {
                rest = rest[scheme.Length..];
                break;
            }
        }

        rest = rest.TrimEnd('/');
        if (IsBareHost(rest))
        {
            var host = rest.ToLowerInvariant();
            return new RegistryLocation(host is "index.docker.io" or "registry-1.docker.io" or "registry.hub.docker.com" ? OciReference.DockerHub : host, null);
        }

        if (!OciReference.TryParse(rest, out var reference, out var error))
        {
            throw ContreeException.InvalidArgument($"Invalid registry_url '{text}': {error}");
        }

        return new RegistryLocation(reference.Registry, reference.Repository);
    }

    /// <summary>
    /// A single component that is <c>localhost[:port]</c>, or has a '.' before any ':' (<c>ghcr.io</c>,
    /// <c>127.0.0.1:5000</c>) — as opposed to <c>python:3.11-slim</c>, an image name with a tag.
    /// </summary>
    private static bool IsBareHost(string text)
    {
        if (text.Length == 0 || text.Contains('/', StringComparison.Ordinal) || text.Contains('@', StringComparison.Ordinal))
        {
            return false;
        }

        if (text.Equals("localhost", StringComparison.OrdinalIgnoreCase) || text.StartsWith("localhost:", StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        var dot = text.IndexOf('.', StringComparison.Ordinal);
        var colon = text.IndexOf(':', StringComparison.Ordinal);
        return dot > 0 && (colon < 0 || dot < colon);
    }
}
