namespace Contree.Engine.Runtime;

/// <summary>
/// Parts of /proc a sandbox must not see or change, as Docker masks them for containers: they describe or control the
/// whole host, not the sandbox's namespaces. Each list holds those this host has, looked up once (/proc's entries are
/// fixed by the kernel).
/// </summary>
internal static class ProcMasks
{
    /// <summary>Replaced by an empty read-only file.</summary>
    public static readonly string[] HiddenFiles =
    [
        .. new[]
        {
            "/proc/keys", "/proc/key-users", "/proc/kcore", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
            "/proc/sched_debug",
        }.Where(File.Exists),
    ];

    /// <summary>Replaced by an empty read-only directory.</summary>
    public static readonly string[] HiddenDirectories = [.. new[] { "/proc/acpi", "/proc/asound", "/proc/scsi" }.Where(Directory.Exists)];

    /// <summary>Bound read-only over themselves (/proc/sys is bound the same way before these).</summary>
    public static readonly string[] ReadOnly = [.. new[] { "/proc/sysrq-trigger", "/proc/bus", "/proc/fs", "/proc/irq" }.Where(Path.Exists)];
}
