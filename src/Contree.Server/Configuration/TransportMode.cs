namespace Contree.Server.Configuration;

/// <summary>MCP transport (<c>--mode</c>).</summary>
internal enum TransportMode
{
    Stdio,
    Http,
}
