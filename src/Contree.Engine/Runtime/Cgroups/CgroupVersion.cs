namespace Contree.Engine.Runtime.Cgroups;

/// <summary>Which cgroup interface enforces limits on this host.</summary>
internal enum CgroupVersion
{
    /// <summary>No usable memory controller: runs get no limits and no counters.</summary>
    None,

    /// <summary>Legacy or hybrid v1 hierarchies (memory, pids, cpu, cpuacct, freezer).</summary>
    V1,

    /// <summary>Unified hierarchy with the memory and pids controllers delegated.</summary>
    V2,
}
