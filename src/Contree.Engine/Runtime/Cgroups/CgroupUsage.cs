namespace Contree.Engine.Runtime.Cgroups;

/// <summary>Counters of one run's cgroup; -1 when the controller is unavailable.</summary>
internal sealed record CgroupUsage(double UserSeconds, double SystemSeconds, long PeakMemoryKiB, bool OomKilled);
