namespace Contree.Server.Configuration;

/// <summary>The <c>[api]</c> settings of the <c>api</c> command (the backend over the Contree /v1 API).</summary>
internal sealed class ApiSettings
{
    public string Listen { get; init; } = "127.0.0.1";

    public int Port { get; init; } = 9453;

    /// <summary>Bearer token every request must carry; empty for none (loopback only). Never printed.</summary>
    public string Token { get; init; } = "";

    /// <summary>When not empty, every request must carry this value in the project header (403 otherwise).</summary>
    public string RequireProject { get; init; } = "";
}
