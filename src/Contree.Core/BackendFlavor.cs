namespace Contree.Core;

/// <summary>Which kind of backend serves the MCP tools; descriptions and guides state costs accordingly.</summary>
public enum BackendFlavor
{
    /// <summary>The embedded engine on this machine: a run costs milliseconds.</summary>
    Local,

    /// <summary>The Contree service over HTTPS: each run starts a microVM (seconds).</summary>
    Cloud,
}
