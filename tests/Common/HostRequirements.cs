namespace Contree.Tests.Common;

/// <summary>
/// Predicates for tests that need root, bubblewrap or a registry binary. They skip elsewhere with the stated
/// reason; CI runs as root with all of them installed by test.sh, so there they always run.
/// </summary>
public static class HostRequirements
{
    public static bool IsRoot => Environment.UserName == "root" || GetEuid() == 0;

    public static bool HasBubblewrap => File.Exists("/usr/bin/bwrap");

    public static bool HasDockerRegistry => File.Exists("/usr/bin/docker-registry");

    public static bool HasBusybox => File.Exists("/bin/busybox");

    /// <summary>gcc with a static libc (Debian's gcc and libc6-dev), for the C probes of the adversarial tests.</summary>
    public static bool HasStaticCompiler => File.Exists("/usr/bin/gcc") && File.Exists("/usr/lib/x86_64-linux-gnu/libc.a");

    /// <summary>Sandboxes can run and C probes can be built for them.</summary>
    public static bool CanRunProbes => CanRunSandboxes && HasStaticCompiler;

    public const string ProbeSkipReason = "needs root, bubblewrap, busybox-static, gcc and libc6-dev (run ./test.sh, which installs them)";

    /// <summary>Root with bubblewrap and busybox-static: real sandboxes can run.</summary>
    public static bool CanRunSandboxes => IsRoot && HasBubblewrap && HasBusybox;

    /// <summary>Root with bubblewrap, busybox-static and Debian's docker-registry.</summary>
    public static bool CanRunRegistry => HasDockerRegistry && HasBusybox;

    /// <summary>Sandboxes can run with a network: slirp4netns, libnftables, iproute2 and dnsmasq for <see cref="TestInternet"/>.</summary>
    public static bool CanRunNetwork =>
        CanRunSandboxes && File.Exists("/usr/bin/slirp4netns") && File.Exists("/usr/sbin/ip") && File.Exists("/usr/sbin/dnsmasq")
        && File.Exists("/usr/lib/x86_64-linux-gnu/libnftables.so.1");

    public const string NetworkSkipReason = "needs root, bubblewrap, busybox-static, slirp4netns, libnftables1, iproute2 and dnsmasq-base (run ./test.sh, which installs them)";

    public const string SandboxSkipReason = "needs root, bubblewrap and busybox-static (run ./test.sh, which installs them)";

    public const string RegistrySkipReason = "needs Debian's docker-registry and busybox-static (run ./test.sh, which installs them)";

    /// <summary>The non-root account tests act as (test.sh creates it when run as root; see scripts/common.sh).</summary>
    public const string TestUser = "contree-test";

    /// <summary>Root (to act as <see cref="TestUser"/> through runuser) and the account exists.</summary>
    public static bool HasTestUser =>
        IsRoot && File.Exists("/usr/sbin/runuser") && File.ReadLines("/etc/passwd").Any(static l => l.StartsWith(TestUser + ":", StringComparison.Ordinal));

    public const string TestUserSkipReason = "needs root and the contree-test account (run ./test.sh as root, which creates it)";

    private static uint GetEuid()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/self/status"))
            {
                if (line.StartsWith("Uid:", StringComparison.Ordinal))
                {
                    var fields = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
                    return uint.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
                }
            }
        }
        catch (IOException)
        {
        }

        return uint.MaxValue;
    }
}
