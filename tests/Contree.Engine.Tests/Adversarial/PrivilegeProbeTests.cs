using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// Root inside holds exactly Docker's default capabilities and can never gain more: the bounding set is Docker's too, and
/// no_new_privs pins the permitted set across every execve (a set-uid or file-capability binary gains nothing). bwrap
/// also puts the kept set into the ambient set (Docker leaves it empty); a change to a non-root uid clears it.
/// </summary>
public sealed class PrivilegeProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    /// <summary>
    /// CHOWN DAC_OVERRIDE FOWNER FSETID KILL SETGID SETUID SETPCAP NET_BIND_SERVICE NET_RAW SYS_CHROOT MKNOD AUDIT_WRITE
    /// SETFCAP as a capability mask (capabilities(7) numbers 0-8, 10, 13, 18, 27, 29, 31).
    /// </summary>
    private const string DockerDefault = "00000000a80425fb";

    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Root_HasOnlyDockersDefaultCapabilities()
    {
        var result = await fixture.RunAsync(fixture.Request("grep -E '^(CapPrm|CapEff|CapBnd|CapAmb|NoNewPrivs):' /proc/self/status"));

        Assert.Equal(
            $"CapPrm:\t{DockerDefault}\nCapEff:\t{DockerDefault}\nCapBnd:\t{DockerDefault}\nCapAmb:\t{DockerDefault}\nNoNewPrivs:\t1\n",
            SandboxFixture.Text(result.Stdout));
    }

    /// <summary>A set-uid root copy of busybox (called as its grep applet): the exec gains no capability.</summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task SetuidBinary_GainsNoCapability()
    {
        var result = await fixture.RunAsync(fixture.Request(
            "mkdir /tmp/s && cp /bin/busybox /tmp/s/busybox && chmod 4755 /tmp/s/busybox && ln -s busybox /tmp/s/grep && " +
            "/tmp/s/grep -E '^Cap(Prm|Eff):' /proc/self/status"));

        Assert.Equal($"CapPrm:\t{DockerDefault}\nCapEff:\t{DockerDefault}\n", SandboxFixture.Text(result.Stdout));
    }
}
