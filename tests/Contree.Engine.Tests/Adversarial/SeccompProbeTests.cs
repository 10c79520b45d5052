using Contree.Engine.Runtime;
using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// System calls a hostile command would use to reach the host or lift its limits fail with EPERM under the sandbox's
/// seccomp filter; the calls ordinary programs make keep working. Each probe is a static C program run as the
/// sandbox's root with the default capabilities.
/// </summary>
public sealed class SeccompProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const int Eperm = 1;
    private const int Enosys = 38;

    public static bool CanRun => HostRequirements.CanRunProbes;

    [Theory(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("keyctl")]
    [InlineData("add_key")]
    [InlineData("request_key")]
    [InlineData("unshare_user")]
    [InlineData("unshare_mount")]
    [InlineData("setns")]
    [InlineData("clone_newuser")]
    [InlineData("clone_newns")]
    [InlineData("mount")]
    [InlineData("umount2")]
    [InlineData("pivot_root")]
    [InlineData("fsopen")]
    [InlineData("open_tree")]
    [InlineData("open_by_handle_at")]
    [InlineData("name_to_handle_at")]
    [InlineData("bpf")]
    [InlineData("perf_event_open")]
    [InlineData("userfaultfd")]
    [InlineData("io_uring_setup")]
    [InlineData("kexec_load")]
    [InlineData("init_module")]
    [InlineData("finit_module")]
    [InlineData("delete_module")]
    [InlineData("swapon")]
    [InlineData("acct")]
    [InlineData("syslog")]
    [InlineData("process_vm_readv")]
    [InlineData("settimeofday")]
    [InlineData("sethostname")]
    public async Task Probe_DangerousCall_FailsWithEperm(string probe)
    {
        Assert.Equal(Eperm, await ProbeAsync(fixture.Runtime, probe));
    }

    /// <summary>
    /// ENOSYS, as on an older kernel: clone3 (its flags are in memory a filter cannot read; glibc falls back to clone),
    /// a call newer than libseccomp's table (libc falls back too; the host kernel has mseal, the probe checks that
    /// below), and the personalities Docker refuses (libseccomp 2.5 cannot single them out for EPERM).
    /// </summary>
    [Theory(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("clone3")]
    [InlineData("mseal")]
    [InlineData("personality_addr_no_randomize")]
    public async Task Probe_CallTheFilterDoesNotAllow_IsMissingSoLibcFallsBack(string probe)
    {
        Assert.Equal(Enosys, await ProbeAsync(fixture.Runtime, probe));
    }

    /// <summary>The kernel has mseal, so the ENOSYS above is the filter's answer, not the kernel's.</summary>
    [Fact(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Probe_WithoutFilter_NewerCallReachesTheKernel()
    {
        using var unfiltered = Unfiltered();

        Assert.NotEqual(Enosys, await ProbeAsync(unfiltered, "mseal"));
    }

    [Theory(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("clone_plain")]
    [InlineData("fork")]
    [InlineData("getpid")]
    [InlineData("personality_query")]
    public async Task Probe_OrdinaryCall_Works(string probe)
    {
        Assert.Equal(0, await ProbeAsync(fixture.Runtime, probe));
    }

    [Fact(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Sandbox_RunsInFilterModeWithNoNewPrivileges()
    {
        var result = await fixture.RunAsync(fixture.Request("grep -E '^(Seccomp|NoNewPrivs):' /proc/self/status"));

        Assert.Equal("NoNewPrivs:\t1\nSeccomp:\t2\n", SandboxFixture.Text(result.Stdout));
    }

    /// <summary>The probe can tell: without the filter the same keyring call succeeds (what the filter closes).</summary>
    [Fact(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Probe_WithoutFilter_KeyringCallSucceeds()
    {
        using var unfiltered = Unfiltered();

        Assert.Equal(0, await ProbeAsync(unfiltered, "keyctl"));
    }

    /// <summary>Nested user namespaces are also refused by the namespace's own limit, with the filter off.</summary>
    [Fact(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Probe_WithoutFilter_NestedUserNamespaceIsStillRefused()
    {
        using var unfiltered = Unfiltered();
        const int Enospc = 28;

        Assert.Equal(Enospc, await ProbeAsync(unfiltered, "unshare_user"));
        Assert.Equal(Enospc, await ProbeAsync(unfiltered, "clone_newuser"));
    }

    /// <summary>The same runtime without the filter (same cgroup name, so the fixture's cleanup covers it).</summary>
    private BubblewrapRuntime Unfiltered() => new(
        new RuntimeOptions { UseSeccomp = false, CgroupName = fixture.Options.CgroupName }, NullLogger<BubblewrapRuntime>.Instance);

    private Task<int> ProbeAsync(BubblewrapRuntime runtime, string probe) => ProbeLayer.RunAsync(fixture, runtime, probe);
}
