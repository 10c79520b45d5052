namespace Contree.Mcp.Registry;

/// <summary>What a registry said about a username and token.</summary>
internal enum RegistryValidation
{
    /// <summary>The registry accepted the credentials.</summary>
    Valid,

    /// <summary>The registry rejected them (HTTP 401 or 403).</summary>
    Invalid,

    /// <summary>The registry answers without authentication, so the credentials could not be checked.</summary>
    NoAuthRequired,
}
