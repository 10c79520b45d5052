namespace Contree.Server.Configuration;

/// <summary>The <c>[cache]</c> settings: the MCP layer's SQLite caches.</summary>
internal sealed class CacheSettings
{
    public required string FilesPath { get; init; }

    public required string GeneralPath { get; init; }

    public int PruneDays { get; init; } = 60;

    /// <summary>Registry credentials live next to the general cache.</summary>
    public string RegistryCredentialsPath =>
        Path.Combine(Path.GetDirectoryName(GeneralPath) ?? ".", "registry-credentials.json");
}
