namespace Contree.Server.Configuration;

/// <summary>The <c>[http]</c> settings of the MCP HTTP transport (docs/http.md).</summary>
internal sealed class HttpSettings
{
    public string Listen { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 9452;

    /// <summary>Host names accepted in Host and Origin headers (lower case, IPv6 in brackets); <c>*</c> accepts any.</summary>
    public IReadOnlyList<string> AllowedHosts { get; init; } = [];

    /// <summary>Bearer token required on /mcp; empty for none. Never printed.</summary>
    public string Token { get; init; } = "";
}
