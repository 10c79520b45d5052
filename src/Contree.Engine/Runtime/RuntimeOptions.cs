namespace Contree.Engine.Runtime;

/// <summary>Settings of <see cref="BubblewrapRuntime"/>; the engine fills them from its options.</summary>
public sealed class RuntimeOptions
{
    /// <summary>bubblewrap binary (Debian 12 ships 0.8.0, which has no overlay options; the runtime mounts the overlay itself).</summary>
    public string BubblewrapPath { get; set; } = "/usr/bin/bwrap";

    /// <summary>POSIX shell of the host used for the tiny wrapper scripts of the launch chain (docs/engine.md).</summary>
    public string ShellPath { get; set; } = "/bin/sh";

    /// <summary>util-linux unshare: creates the sandbox user namespaces once, and each run's outer pid namespace.</summary>
    public string UnsharePath { get; set; } = "/usr/bin/unshare";

    /// <summary>util-linux nsenter: enters the sandbox's outer user namespace as its root before bwrap starts.</summary>
    public string NsenterPath { get; set; } = "/usr/bin/nsenter";

    /// <summary>
    /// Where run overlays are mounted: a directory every user can traverse, because bwrap runs as the sandbox's root,
    /// an unprivileged host id that cannot reach the data directory (docs/engine.md, "Sandbox identity"). Each runs
    /// directory gets its own subdirectory here.
    /// </summary>
    public string MountRoot { get; set; } = "/run/contree-mcp";

    /// <summary>slirp4netns: the user-mode network stack of <c>internet</c> runs (docs/network.md).</summary>
    public string Slirp4netnsPath { get; set; } = "/usr/bin/slirp4netns";

    /// <summary>iproute2 ip: runs slirp4netns in <see cref="EgressNetworkNamespace"/> (<c>ip netns exec</c>).</summary>
    public string IpPath { get; set; } = "/usr/sbin/ip";

    /// <summary>
    /// Name of an ip-netns(8) network namespace in which slirp4netns makes the connections of <c>internet</c> runs (with
    /// that namespace's <c>/etc/netns/&lt;name&gt;/resolv.conf</c>); null: the engine's own network.
    /// </summary>
    public string? EgressNetworkNamespace { get; set; }

    /// <summary>Destinations an <c>internet</c> run cannot reach, besides the egress namespace's own addresses.</summary>
    public IList<System.Net.IPNetwork> DeniedNetworks { get; } = [.. Network.EgressRules.DefaultDenied.Select(System.Net.IPNetwork.Parse)];

    /// <summary>util-linux setpriv: arms the death signal that ends a sandbox when the engine process dies.</summary>
    public string SetprivPath { get; set; } = "/usr/bin/setpriv";

    /// <summary>Mount point of the cgroup file systems.</summary>
    public string CgroupRoot { get; set; } = "/sys/fs/cgroup";

    /// <summary>Name of the cgroup that holds one child cgroup per run.</summary>
    public string CgroupName { get; set; } = "contree";

    /// <summary>
    /// True (default): every sandbox runs under the seccomp filter of <see cref="Seccomp.SeccompPolicy"/>
    /// (docs/security.md, "Seccomp"). Off only for tests that measure what the filter changes.
    /// </summary>
    public bool UseSeccomp { get; set; } = true;

    /// <summary>Capabilities kept by the sandboxed process (Docker's default set); every other one is dropped.</summary>
    public IList<string> Capabilities { get; } =
    [
        "CAP_CHOWN", "CAP_DAC_OVERRIDE", "CAP_FSETID", "CAP_FOWNER", "CAP_MKNOD", "CAP_NET_RAW", "CAP_SETGID",
        "CAP_SETUID", "CAP_SETFCAP", "CAP_SETPCAP", "CAP_NET_BIND_SERVICE", "CAP_SYS_CHROOT", "CAP_KILL", "CAP_AUDIT_WRITE",
    ];
}
