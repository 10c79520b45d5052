namespace Contree.Engine.Runtime;

/// <summary>cgroup limits of one run; zero or negative means "no limit".</summary>
/// <param name="MemoryBytes">memory.max / memory.limit_in_bytes (and memsw where available).</param>
/// <param name="Pids">pids.max.</param>
/// <param name="Cpus">CPU quota in cores (cpu.max / cpu.cfs_quota_us).</param>
internal sealed record SandboxLimits(long MemoryBytes, int Pids, double Cpus)
{
    public static SandboxLimits Default { get; } = new(2L * 1024 * 1024 * 1024, 1024, 0);
}
