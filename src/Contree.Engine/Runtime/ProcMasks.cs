namespace Contree.Engine.Runtime;

/// <summary>
/// Parts of /proc a sandbox must not see or change, as Docker masks them for containers: they describe or control the
/// whole host, not the sandbox's namespaces. Applied when the host has them.
/// </summary>
internal static class ProcMasks
{
    /// <summary>Replaced by an empty read-only file.</summary>
    public static readonly string[] HiddenFiles =
    [
        "/proc/keys", "/proc/key-users", "/proc/kcore", "/proc/latency_stats", "/proc/timer_list", "/proc/timer_stats",
        "/proc/sched_debug",
    ];

    /// <summary>Replaced by an empty read-only directory.</summary>
    public static readonly string[] HiddenDirectories = ["/proc/acpi", "/proc/asound", "/proc/scsi"];

    /// <summary>Bound read-only over themselves (/proc/sys is bound the same way before these).</summary>
    public static readonly string[] ReadOnly = ["/proc/sysrq-trigger", "/proc/bus", "/proc/fs", "/proc/irq"];
}
