using Contree.Core;

namespace Contree.Mcp;

/// <summary>Settings of the MCP front, filled by the server from its configuration.</summary>
public sealed class ContreeMcpOptions
{
    /// <summary>Prefix of every tool name; <c>contree_</c> by default, empty for the original unprefixed names.</summary>
    public string ToolPrefix { get; set; } = "contree_";

    /// <summary>Which backend serves the tools; descriptions and guides state costs accordingly.</summary>
    public BackendFlavor Flavor { get; set; } = BackendFlavor.Local;

    /// <summary>SQLite general cache (lineage, operation results, file hashes).</summary>
    public string GeneralCachePath { get; set; } = DefaultPath("cache.db");

    /// <summary>SQLite file-sync cache (directory states of contree_rsync, docs/rsync.md).</summary>
    public string FileCachePath { get; set; } = DefaultPath("files.db");

    /// <summary>Registry credentials written by contree_registry_auth (mode 0600).</summary>
    public string RegistryCredentialsPath { get; set; } = DefaultPath("registry-credentials.json");

    /// <summary>General-cache retention in days; 0 or less keeps entries forever.</summary>
    public int CachePruneDays { get; set; } = 60;

    /// <summary>Registries reached over plain HTTP although not on loopback (host[:port]).</summary>
    public IList<string> InsecureRegistries { get; } = [];

    /// <summary>Version reported in serverInfo and the User-Agent.</summary>
    public string ServerVersion { get; set; } = typeof(ContreeMcpOptions).Assembly.GetName().Version?.ToString(3) ?? "0.0.0";

    private static string DefaultPath(string file) =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "contree_mcp", file);
}
