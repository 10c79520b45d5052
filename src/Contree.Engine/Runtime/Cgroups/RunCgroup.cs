using System.Globalization;
using Contree.Engine.Interop;

namespace Contree.Engine.Runtime.Cgroups;

/// <summary>
/// The cgroup(s) of one run: limits, the <c>cgroup.procs</c> files the wrapper joins before exec'ing bwrap, counters,
/// tree kill, removal. Counters: v1 cpuacct.usage_user/usage_sys (ns), memory.max_usage_in_bytes,
/// memory.oom_control (oom_kill); v2 cpu.stat, memory.peak, memory.events (oom_kill); both pids.events (max), the
/// count of forks refused at pids.max (kernel cgroup-v1/v2 documentation).
/// </summary>
internal sealed class RunCgroup : IDisposable
{
    private const long CpuPeriodMicroseconds = 100_000;

    private readonly CgroupVersion _version;
    private readonly List<(string Directory, CgroupHierarchy Hierarchy)> _directories;
    private bool _disposed;

    public RunCgroup(CgroupVersion version, List<(string Directory, CgroupHierarchy Hierarchy)> directories)
    {
        _version = version;
        _directories = directories;
    }

    /// <summary>The <c>cgroup.procs</c> files a process must be written to, one per hierarchy.</summary>
    public IReadOnlyList<string> ProcsFiles => _directories.Select(static d => Path.Combine(d.Directory, "cgroup.procs")).ToList();

    public void ApplyLimits(SandboxLimits limits)
    {
        var memory = Find("memory");
        var pids = Find("pids");
        var cpu = Find("cpu");
        if (_version == CgroupVersion.V2)
        {
            if (limits.MemoryBytes > 0 && memory is not null)
            {
                Write(memory, "memory.max", limits.MemoryBytes);
                WriteIfPresent(memory, "memory.swap.max", "0");
            }

            if (limits.Pids > 0 && pids is not null)
            {
                Write(pids, "pids.max", limits.Pids);
            }

            if (limits.Cpus > 0 && cpu is not null)
            {
                File.WriteAllText(Path.Combine(cpu, "cpu.max"), string.Create(CultureInfo.InvariantCulture, $"{Quota(limits.Cpus)} {CpuPeriodMicroseconds}"));
            }

            return;
        }

        if (limits.MemoryBytes > 0 && memory is not null)
        {
            // limit_in_bytes first: memsw.limit_in_bytes must never be below it.
            Write(memory, "memory.limit_in_bytes", limits.MemoryBytes);
            WriteIfPresent(memory, "memory.memsw.limit_in_bytes", limits.MemoryBytes.ToString(CultureInfo.InvariantCulture));
        }

        if (limits.Pids > 0 && pids is not null)
        {
            Write(pids, "pids.max", limits.Pids);
        }

        if (limits.Cpus > 0 && cpu is not null)
        {
            Write(cpu, "cpu.cfs_period_us", CpuPeriodMicroseconds);
            Write(cpu, "cpu.cfs_quota_us", Quota(limits.Cpus));
        }
    }

    public CgroupUsage ReadUsage()
    {
        double user = -1, system = -1;
        long peak = -1;
        var oom = false;
        if (_version == CgroupVersion.V2)
        {
            var directory = _directories[0].Directory;
            var stat = ReadKeyValues(Path.Combine(directory, "cpu.stat"));
            if (stat.TryGetValue("user_usec", out var u) && stat.TryGetValue("system_usec", out var s))
            {
                user = u / 1e6;
                system = s / 1e6;
            }

            var peakFile = Path.Combine(directory, "memory.peak");
            if (File.Exists(peakFile))
            {
                peak = CgroupManager.ParseLong(File.ReadAllText(peakFile)) / 1024;
            }

            oom = ReadKeyValues(Path.Combine(directory, "memory.events")).GetValueOrDefault("oom_kill") > 0;
            return new CgroupUsage(user, system, peak, oom, PidsLimitHit());
        }

        if (Find("cpuacct") is { } cpuacct)
        {
            var userFile = Path.Combine(cpuacct, "cpuacct.usage_user");
            if (File.Exists(userFile))
            {
                user = CgroupManager.ParseLong(File.ReadAllText(userFile)) / 1e9;
                system = CgroupManager.ParseLong(File.ReadAllText(Path.Combine(cpuacct, "cpuacct.usage_sys"))) / 1e9;
            }
        }

        if (Find("memory") is { } memory)
        {
            peak = CgroupManager.ParseLong(File.ReadAllText(Path.Combine(memory, "memory.max_usage_in_bytes"))) / 1024;
            oom = ReadKeyValues(Path.Combine(memory, "memory.oom_control")).GetValueOrDefault("oom_kill") > 0;
        }

        return new CgroupUsage(user, system, peak, oom, PidsLimitHit());
    }

    private bool PidsLimitHit() =>
        Find("pids") is { } pids && ReadKeyValues(Path.Combine(pids, "pids.events")).GetValueOrDefault("max") > 0;

    /// <summary>
    /// Kills every process in the run's cgroups and any cgroup below them (v2 cgroup.kill, which covers the subtree; v1
    /// freeze, which is hierarchical, SIGKILL each pid of every hierarchy's subtree, thaw).
    /// </summary>
    public void Kill()
    {
        if (_version == CgroupVersion.V2)
        {
            var kill = Path.Combine(_directories[0].Directory, "cgroup.kill");
            if (File.Exists(kill))
            {
                File.WriteAllText(kill, "1");
                return;
            }
        }

        var freezer = Find("freezer");
        if (freezer is not null)
        {
            File.WriteAllText(Path.Combine(freezer, "freezer.state"), "FROZEN");
        }

        try
        {
            // Without a freezer a forking process could escape one pass; pids.max bounds how many passes it can force.
            for (var pass = 0; pass < 64; pass++)
            {
                var pids = MemberPids();
                if (pids.Count == 0)
                {
                    break;
                }

                foreach (var pid in pids)
                {
                    _ = Libc.Kill(pid, Libc.SIGKILL);
                }
            }
        }
        finally
        {
            if (freezer is not null)
            {
                File.WriteAllText(Path.Combine(freezer, "freezer.state"), "THAWED");
            }
        }
    }

    /// <summary>
    /// Kills what is left and removes the cgroup directories and any cgroup a command made below them (rmdir, retried
    /// while the kernel reaps tasks).
    /// </summary>
    public void Dispose()
    {
        if (_disposed)
        {
            return;
        }

        _disposed = true;
        if (_directories.Count == 0)
        {
            return;
        }

        if (MemberPids().Count > 0)
        {
            Kill();
        }

        // Children first: rmdir of a cgroup fails while it has child cgroups.
        List<Exception>? failures = null;
        foreach (var directory in _directories.SelectMany(static d => Enumerable.Reverse(Subtree(d.Directory))))
        {
            if (!RemoveDirectory(directory))
            {
                (failures ??= []).Add(new IOException($"cannot remove cgroup '{directory}': still busy"));
            }
        }

        if (failures is not null)
        {
            throw new AggregateException(failures);
        }
    }

    private static bool RemoveDirectory(string directory)
    {
        // Killed tasks leave the cgroup only once reaped, which is asynchronous after SIGKILL: retry briefly.
        for (var attempt = 0; attempt < 200; attempt++)
        {
            try
            {
                Directory.Delete(directory);
                return true;
            }
            catch (DirectoryNotFoundException)
            {
                return true;
            }
            catch (IOException)
            {
                Thread.Sleep(5);
            }
        }

        return false;
    }

    /// <summary>The processes in the run's cgroups and below them, over every hierarchy (v1 places them separately).</summary>
    private HashSet<int> MemberPids()
    {
        var pids = new HashSet<int>();
        foreach (var directory in _directories.SelectMany(static d => Subtree(d.Directory)))
        {
            try
            {
                foreach (var line in File.ReadLines(Path.Combine(directory, "cgroup.procs")))
                {
                    if (int.TryParse(line, NumberStyles.Integer, CultureInfo.InvariantCulture, out var pid))
                    {
                        pids.Add(pid);
                    }
                }
            }
            catch (Exception exception) when (exception is DirectoryNotFoundException or FileNotFoundException)
            {
                // Removed meanwhile: no members.
            }
        }

        return pids;
    }

    /// <summary>The directory and every cgroup below it, parents before children.</summary>
    private static List<string> Subtree(string directory)
    {
        var result = new List<string>();
        var pending = new Stack<string>([directory]);
        while (pending.TryPop(out var next))
        {
            if (!Directory.Exists(next))
            {
                continue;
            }

            result.Add(next);
            foreach (var child in Directory.GetDirectories(next))
            {
                pending.Push(child);
            }
        }

        return result;
    }

    private static long Quota(double cpus) => Math.Max(1000, (long)(cpus * CpuPeriodMicroseconds));

    private static void Write(string directory, string file, long value) =>
        File.WriteAllText(Path.Combine(directory, file), value.ToString(CultureInfo.InvariantCulture));

    private static void WriteIfPresent(string directory, string file, string value)
    {
        var path = Path.Combine(directory, file);
        if (File.Exists(path))
        {
            File.WriteAllText(path, value);
        }
    }

    private static Dictionary<string, long> ReadKeyValues(string path)
    {
        var result = new Dictionary<string, long>(StringComparer.Ordinal);
        if (!File.Exists(path))
        {
            return result;
        }

        foreach (var line in File.ReadLines(path))
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2 && long.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var value))
            {
                result[parts[0]] = value;
            }
        }

        return result;
    }

    private string? Find(string controller) =>
        _directories.FirstOrDefault(d => d.Hierarchy.Has(controller)).Directory;
}
