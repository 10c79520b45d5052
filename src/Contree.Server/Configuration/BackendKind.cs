namespace Contree.Server.Configuration;

/// <summary>Which backend serves the tools (<c>--backend</c>).</summary>
internal enum BackendKind
{
    /// <summary>Cloud when a token is configured, else local (the api command: local).</summary>
    Auto,

    /// <summary>The Contree service over HTTPS.</summary>
    Cloud,

    /// <summary>The embedded engine on this machine.</summary>
    Local,
}
