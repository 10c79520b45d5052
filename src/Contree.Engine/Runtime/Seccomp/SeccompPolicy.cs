namespace Contree.Engine.Runtime.Seccomp;

/// <summary>
/// What the sandbox's seccomp filter allows, modelled on Docker's default profile for a container with Docker's
/// default capabilities (docs/security.md, "Seccomp"): every system call libseccomp knows is allowed except the ones
/// below, which fail with EPERM; a call it does not know (newer than its table) answers ENOSYS. Calls that need a
/// capability the sandbox does not have fail anyway; they are listed so that a capability added by mistake does not
/// reopen them.
/// </summary>
internal static class SeccompPolicy
{
    /// <summary>
    /// Namespace flags of clone(2): CLONE_NEWTIME, CLONE_NEWNS, CLONE_NEWCGROUP, CLONE_NEWUTS, CLONE_NEWIPC,
    /// CLONE_NEWUSER, CLONE_NEWPID, CLONE_NEWNET. A clone with any of them is refused (nested namespaces).
    /// </summary>
    public static readonly ulong[] CloneNamespaceFlagList =
        [0x00000080, 0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000];

    /// <summary>All of <see cref="CloneNamespaceFlagList"/> as one mask.</summary>
    public static readonly ulong CloneNamespaceFlags = CloneNamespaceFlagList.Aggregate(0UL, static (mask, flag) => mask | flag);

    /// <summary>Denied names whose rules depend on their arguments (added by <see cref="SeccompFilter"/> itself).</summary>
    public static readonly IReadOnlySet<string> Conditional = new HashSet<string>(StringComparer.Ordinal) { "clone", "clone3", "personality" };

    /// <summary>
    /// personality(2) values Docker allows: PER_LINUX, PER_LINUX32, UNAME26, PER_LINUX32|UNAME26 and the query
    /// 0xffffffff. Others switch on execution domains that have hidden kernel bugs (READ_IMPLIES_EXEC, ADDR_NO_RANDOMIZE).
    /// </summary>
    public static readonly ulong[] AllowedPersonalities = [0x0, 0x8, 0x20000, 0x20008, 0xffffffff];

    /// <summary>Refused with EPERM, grouped by what they would give a hostile command.</summary>
    public static readonly IReadOnlySet<string> Denied = new HashSet<string>(StringComparer.Ordinal)
    {
        // Kernel keyrings are not namespaced: the host's keys would be one KEYCTL_LINK away.
        "add_key", "request_key", "keyctl",

        // Nested namespaces (clone with namespace flags is conditional, clone3 answers ENOSYS): with a nested user
        // namespace a command gets every capability over new mount and cgroup namespaces.
        "unshare", "setns",

        // The mount family: a new mount could hide, reveal or remount what the sandbox was given.
        "mount", "umount", "umount2", "pivot_root", "move_mount", "open_tree", "fsopen", "fsconfig", "fsmount",
        "fspick", "mount_setattr",

        // File handles open any inode of a file system by number, past the sandbox's root.
        "open_by_handle_at", "name_to_handle_at",

        // The kernel itself: modules, kexec, reboot, swap, accounting, the log, tracing and BPF.
        "init_module", "finit_module", "delete_module", "create_module", "get_kernel_syms", "query_module",
        "kexec_load", "kexec_file_load", "reboot", "swapon", "swapoff", "acct", "syslog", "bpf", "perf_event_open",
        "lookup_dcookie", "quotactl", "quotactl_fd", "nfsservctl", "sysfs", "_sysctl", "uselib", "ustat",
        "vm86", "vm86old", "iopl", "ioperm", "pciconfig_iobase", "pciconfig_read", "pciconfig_write", "fanotify_init",

        // Large, often exploited kernel surfaces a build or test does not need.
        "userfaultfd", "io_uring_setup", "io_uring_enter", "io_uring_register",

        // Other processes' memory and descriptors (Docker needs CAP_SYS_PTRACE for these; ptrace itself stays).
        "process_vm_readv", "process_vm_writev", "kcmp", "pidfd_getfd",

        // The host's clock, terminal hang-up and memory placement (CAP_SYS_TIME, CAP_SYS_TTY_CONFIG, CAP_SYS_NICE).
        "settimeofday", "stime", "clock_settime", "clock_adjtime", "vhangup",
        "mbind", "set_mempolicy", "set_mempolicy_home_node", "move_pages", "migrate_pages",

        // The host name lives in the sandbox's UTS namespace, set once by bwrap.
        "sethostname", "setdomainname",

        // Handled by the conditional rules below.
        "clone", "clone3", "personality",
    };

    /// <summary>The architectures the filter covers: the engine's, and on x86-64 also 32-bit x86 programs.</summary>
    public static IReadOnlyList<uint> ExtraArchitectures() =>
        System.Runtime.InteropServices.RuntimeInformation.OSArchitecture == System.Runtime.InteropServices.Architecture.X64
            ? [Interop.Seccomp.ArchX86]
            : [];
}
