namespace Contree.Engine.Runtime.Cgroups;

/// <summary>
/// Counters of one run's cgroup; -1 when the controller is unavailable. <c>OomKilled</c>: the OOM killer fired in the
/// memory limit; <c>PidsLimitHit</c>: a fork was refused at the process limit.
/// </summary>
internal sealed record CgroupUsage(double UserSeconds, double SystemSeconds, long PeakMemoryKiB, bool OomKilled, bool PidsLimitHit = false);
