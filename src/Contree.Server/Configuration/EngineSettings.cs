namespace Contree.Server.Configuration;

/// <summary>The <c>[engine]</c> settings of the local engine; null members keep the engine's own defaults.</summary>
internal sealed class EngineSettings
{
    public required string DataDirectory { get; init; }

    public int MaxConcurrentRuns { get; init; } = Environment.ProcessorCount;

    public long? MemoryLimitBytes { get; init; }

    public int? PidsLimit { get; init; }

    public double Cpus { get; init; }

    public long DiskLimitBytes { get; init; }

    public bool HostNetwork { get; init; }

    public bool NetworkEnabled { get; init; } = true;

    public IReadOnlyList<System.Net.IPNetwork>? DeniedNetworks { get; init; }

    public string? EgressNamespace { get; init; }

    public IReadOnlyList<string> InsecureRegistries { get; init; } = [];

    public int OutputRetentionDays { get; init; } = 7;
}
