using System.Collections.Frozen;

namespace Contree.Mcp.Registry;

/// <summary>Registries whose personal-access-token pages are known.</summary>
internal static class KnownRegistries
{
    private static readonly FrozenDictionary<string, string> PatUrls = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase)
    {
        ["docker.io"] = "https://app.docker.com/settings/personal-access-tokens",
        ["ghcr.io"] = "https://github.com/settings/tokens?type=beta",
        ["registry.gitlab.com"] = "https://gitlab.com/-/user_settings/personal_access_tokens",
        ["gcr.io"] = "https://console.cloud.google.com/apis/credentials",
        ["us.gcr.io"] = "https://console.cloud.google.com/apis/credentials",
        ["eu.gcr.io"] = "https://console.cloud.google.com/apis/credentials",
        ["asia.gcr.io"] = "https://console.cloud.google.com/apis/credentials",
    }.ToFrozenDictionary(StringComparer.OrdinalIgnoreCase);

    /// <summary>The registries in the table, sorted.</summary>
    public static IReadOnlyList<string> Names { get; } = [.. PatUrls.Keys.Order(StringComparer.Ordinal)];

    /// <summary>The page where a user creates a token for <paramref name="registry"/>, or null for an unknown registry.</summary>
    public static string? PatUrl(string registry) => PatUrls.GetValueOrDefault(registry);

    public static bool IsKnown(string registry) => PatUrls.ContainsKey(registry);
}
