using System.Globalization;

namespace Contree.Engine.Runtime.Cgroups;

/// <summary>
/// Detects the cgroup layout once (v2 with delegated memory+pids, else v1/hybrid, else none) and creates one child
/// cgroup per run below the engine's <c>contree</c> cgroup. v1: in each of the memory, pids, cpu, cpuacct and freezer
/// hierarchies, below the engine's own cgroup (so outer limits still apply); v2: <c>&lt;mount&gt;/contree</c>.
/// See cgroups(7) and the kernel's cgroup-v1/cgroup-v2 documentation.
/// </summary>
internal sealed class CgroupManager
{
    private static readonly string[] V1Controllers = ["memory", "pids", "cpu", "cpuacct", "freezer"];

    private CgroupManager(CgroupVersion version, IReadOnlyList<CgroupHierarchy> hierarchies)
    {
        Version = version;
        Hierarchies = hierarchies;
    }

    public CgroupVersion Version { get; }

    public IReadOnlyList<CgroupHierarchy> Hierarchies { get; }

    public static CgroupManager Detect(RuntimeOptions options)
    {
        var mounts = MountInfo.Read().Where(m => m.MountPoint == options.CgroupRoot || m.MountPoint.StartsWith(options.CgroupRoot + "/", StringComparison.Ordinal)).ToList();
        var membership = ReadMembership();

        foreach (var mount in mounts.Where(static m => m.FileSystemType == "cgroup2"))
        {
            var controllersFile = Path.Combine(mount.MountPoint, "cgroup.controllers");
            var controllers = File.Exists(controllersFile)
                ? File.ReadAllText(controllersFile).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToHashSet()
                : [];
            if (controllers.Contains("memory") && controllers.Contains("pids"))
            {
                var hierarchy = new CgroupHierarchy(Path.Combine(mount.MountPoint, options.CgroupName), controllers);
                return new CgroupManager(CgroupVersion.V2, [hierarchy]);
            }
        }

        var v1 = new List<CgroupHierarchy>();
        foreach (var mount in mounts.Where(static m => m.FileSystemType == "cgroup"))
        {
            var controllers = mount.SuperOptions.Split(',').Where(o => V1Controllers.Contains(o)).ToHashSet();
            if (controllers.Count == 0)
            {
                continue;
            }

            var own = membership.FirstOrDefault(m => m.Controllers.Overlaps(controllers)).Path ?? "/";
            if (mount.Root != "/" && own.StartsWith(mount.Root, StringComparison.Ordinal))
            {
                own = own[mount.Root.Length..];
            }

            var directory = Path.Combine(mount.MountPoint, own.TrimStart('/'), options.CgroupName);
            v1.Add(new CgroupHierarchy(directory, controllers));
        }

        return v1.Any(static h => h.Has("memory"))
            ? new CgroupManager(CgroupVersion.V1, v1)
            : new CgroupManager(CgroupVersion.None, []);
    }

    /// <summary>Creates the run's cgroups and applies <paramref name="limits"/>; null when the host has no usable cgroups.</summary>
    public RunCgroup? Create(string runId, SandboxLimits limits)
    {
        if (Version == CgroupVersion.None)
        {
            return null;
        }

        var created = new List<(string Directory, CgroupHierarchy Hierarchy)>();
        var cgroup = new RunCgroup(Version, created);
        try
        {
            foreach (var hierarchy in Hierarchies)
            {
                if (!Directory.Exists(hierarchy.BaseDirectory))
                {
                    Directory.CreateDirectory(hierarchy.BaseDirectory);
                    if (Version == CgroupVersion.V2)
                    {
                        EnableV2Controllers(hierarchy);
                    }
                }

                var directory = Path.Combine(hierarchy.BaseDirectory, runId);
                Directory.CreateDirectory(directory);
                created.Add((directory, hierarchy));
            }

            cgroup.ApplyLimits(limits);
            return cgroup;
        }
        catch
        {
            cgroup.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Kills every process in the run cgroups left below the engine's cgroup, and in any cgroup below those, and removes
    /// them; returns how many run cgroups were removed. Only for recovery, when no run of this engine is live: the
    /// engine's cgroup is named after its data directory, so no other engine's sandboxes live there.
    /// </summary>
    public int CleanupStale()
    {
        var removed = 0;
        foreach (var hierarchy in Hierarchies)
        {
            if (!Directory.Exists(hierarchy.BaseDirectory))
            {
                continue;
            }

            foreach (var directory in Directory.GetDirectories(hierarchy.BaseDirectory))
            {
                var cgroup = new RunCgroup(Version, [(directory, hierarchy)]);
                cgroup.Dispose();
                removed++;
            }
        }

        return removed;
    }

    /// <summary>Removes the engine's own cgroup directories when no run cgroup is left in them (rmdir fails otherwise).</summary>
    public void RemoveEmptyBase()
    {
        foreach (var hierarchy in Hierarchies)
        {
            try
            {
                if (Directory.Exists(hierarchy.BaseDirectory) && Directory.GetDirectories(hierarchy.BaseDirectory).Length == 0)
                {
                    Directory.Delete(hierarchy.BaseDirectory);
                }
            }
            catch (IOException)
            {
                // A run of another engine sharing the name started meanwhile: its cgroup keeps the directory alive.
            }
        }
    }

    private static void EnableV2Controllers(CgroupHierarchy hierarchy)
    {
        // The engine's cgroup holds no processes, so its children may use controllers (cgroup-v2 "no internal process").
        var parentControl = Path.Combine(Path.GetDirectoryName(hierarchy.BaseDirectory)!, "cgroup.subtree_control");
        var wanted = new[] { "memory", "pids", "cpu" }.Where(hierarchy.Has).ToList();
        foreach (var file in new[] { parentControl, Path.Combine(hierarchy.BaseDirectory, "cgroup.subtree_control") })
        {
            foreach (var controller in wanted)
            {
                File.WriteAllText(file, "+" + controller);
            }
        }
    }

    private static List<(HashSet<string> Controllers, string Path)> ReadMembership()
    {
        var result = new List<(HashSet<string>, string)>();
        foreach (var line in File.ReadLines("/proc/self/cgroup"))
        {
            // hierarchy-ID:controller-list:cgroup-path (cgroups(7) "/proc/pid/cgroup")
            var first = line.IndexOf(':', StringComparison.Ordinal);
            var second = first < 0 ? -1 : line.IndexOf(':', first + 1);
            if (second < 0)
            {
                continue;
            }

            var controllers = line[(first + 1)..second].Split(',', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
            result.Add((controllers, line[(second + 1)..]));
        }

        return result;
    }

    internal static long ParseLong(string text) => long.Parse(text.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture);
}
