using System.Globalization;

namespace Contree.Bench;

/// <summary>
/// What a server process holds at one moment: resident memory and threads (/proc/&lt;pid&gt;/status), open file
/// descriptors (/proc/&lt;pid&gt;/fd), mounts under its data directory (/proc/self/mountinfo of the host) and run
/// cgroups below the engine's <c>contree-&lt;hash&gt;</c> cgroups (every controller hierarchy under /sys/fs/cgroup).
/// </summary>
internal sealed record LeakProbe(double RssMiB, int Threads, int FileDescriptors, int Mounts, int Cgroups, int RunDirectories, IReadOnlyDictionary<string, int> FdKinds)
{
    /// <summary>Which kinds of descriptors changed between two probes, e.g. "socket +3, /data/engine.db -1".</summary>
    public static string FdChanges(LeakProbe before, LeakProbe after)
    {
        var changes = before.FdKinds.Keys.Union(after.FdKinds.Keys)
            .Select(k => (Kind: k, Delta: after.FdKinds.GetValueOrDefault(k) - before.FdKinds.GetValueOrDefault(k)))
            .Where(static c => c.Delta != 0)
            .OrderByDescending(static c => Math.Abs(c.Delta))
            .Select(static c => c.Delta > 0 ? $"{c.Kind} +{c.Delta}" : $"{c.Kind} {c.Delta}");
        var text = string.Join(", ", changes);
        return text.Length == 0 ? "no fd kind changed" : text;
    }

    public static LeakProbe Take(int pid, string dataDirectory)
    {
        var status = File.ReadAllLines($"/proc/{pid}/status");
        var rssKb = StatusValue(status, "VmRSS:");
        var threads = (int)StatusValue(status, "Threads:");
        var kinds = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var fd in Directory.EnumerateFileSystemEntries($"/proc/{pid}/fd"))
        {
            var kind = FdKind(fd, dataDirectory);
            kinds[kind] = kinds.GetValueOrDefault(kind) + 1;
        }

        var fds = kinds.Values.Sum();
        var prefix = dataDirectory.TrimEnd('/') + "/";
        var mounts = File.ReadLines("/proc/self/mountinfo")
            .Select(static line => line.Split(' ')[4].Replace("\\040", " ", StringComparison.Ordinal))
            .Count(mountPoint => mountPoint.StartsWith(prefix, StringComparison.Ordinal));
        var runs = Path.Combine(dataDirectory, "runs");
        var runDirectories = Directory.Exists(runs) ? Directory.EnumerateDirectories(runs).Count() : 0;
        return new LeakProbe(rssKb / 1024.0, threads, fds, mounts, CountRunCgroups(CgroupName(dataDirectory)), runDirectories, kinds);
    }

    /// <summary>The process's peak resident memory since it started (VmHWM), in MiB.</summary>
    public static double PeakRssMiB(int pid) => StatusValue(File.ReadAllLines($"/proc/{pid}/status"), "VmHWM:") / 1024.0;

    /// <summary>The engine's cgroup name: contree-&lt;12 hex of sha256(data directory)&gt; (EngineServiceCollectionExtensions).</summary>
    public static string CgroupName(string dataDirectory) =>
        "contree-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..12];

    /// <summary>socket, pipe, anon_inode:[eventpoll], a path under the data dir, or the directory of another path.</summary>
    private static string FdKind(string fd, string dataDirectory)
    {
        string target;
        try
        {
            target = new FileInfo(fd).LinkTarget ?? "?";
        }
        catch (IOException)
        {
            return "closed meanwhile";
        }

        if (target.StartsWith("socket:", StringComparison.Ordinal) || target.StartsWith("pipe:", StringComparison.Ordinal))
        {
            return target[..target.IndexOf(':', StringComparison.Ordinal)];
        }

        if (target.StartsWith("anon_inode:", StringComparison.Ordinal) || !target.StartsWith('/'))
        {
            return target;
        }

        return target.StartsWith(dataDirectory + "/", StringComparison.Ordinal)
            ? "<data>/" + Path.GetRelativePath(dataDirectory, target)
            : Path.GetDirectoryName(target) ?? target;
    }

    private static int CountRunCgroups(string name)
    {
        const string root = "/sys/fs/cgroup";
        if (!Directory.Exists(root))
        {
            return 0;
        }

        var count = 0;
        var pending = new Stack<(string Path, int Depth)>();
        pending.Push((root, 0));
        while (pending.Count > 0)
        {
            var (path, depth) = pending.Pop();
            IEnumerable<string> children;
            try
            {
                children = Directory.EnumerateDirectories(path).ToList();
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            foreach (var child in children)
            {
                if (Path.GetFileName(child) == name)
                {
                    count += Directory.EnumerateDirectories(child).Count();
                }
                else if (depth < 4)
                {
                    pending.Push((child, depth + 1));
                }
            }
        }

        return count;
    }

    private static long StatusValue(string[] status, string key)
    {
        var line = status.FirstOrDefault(l => l.StartsWith(key, StringComparison.Ordinal))
            ?? throw new BenchException($"/proc status has no {key}");
        return long.Parse(line[key.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
    }
}
