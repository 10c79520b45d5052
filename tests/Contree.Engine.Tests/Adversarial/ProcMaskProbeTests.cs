using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>/proc files that describe or control the whole host are empty or read-only in the sandbox.</summary>
public sealed class ProcMaskProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("/proc/keys")]
    [InlineData("/proc/key-users")]
    [InlineData("/proc/kcore")]
    [InlineData("/proc/timer_list")]
    [InlineData("/proc/sched_debug")]
    public async Task HostWideProcFile_IsEmpty(string path)
    {
        // A kernel without the file has nothing there to leak.
        var result = await fixture.RunAsync(fixture.Request($"if [ -e {path} ]; then wc -c < {path}; else echo 0; fi"));

        Assert.True(SandboxFixture.Text(result.Stdout).Trim() == "0", SandboxFixture.Text(result.Stderr));
    }

    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("/proc/sysrq-trigger")]
    [InlineData("/proc/sys/kernel/hostname")]
    [InlineData("/proc/sys/vm/drop_caches")]
    public async Task HostControlFile_CannotBeOpenedForWriting(string path)
    {
        // Opening with ':' writes nothing, so the probe is harmless even if the mask were missing; the inner shell
        // keeps a failed redirection from ending the outer one.
        var result = await fixture.RunAsync(fixture.Request($"sh -c ': > {path}' 2>/dev/null && echo writable || echo denied"));

        Assert.True(SandboxFixture.Text(result.Stdout).Trim() == "denied", SandboxFixture.Text(result.Stdout) + SandboxFixture.Text(result.Stderr));
    }

    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("/proc/acpi")]
    [InlineData("/proc/scsi")]
    public async Task HostHardwareDirectory_IsEmpty(string path)
    {
        var result = await fixture.RunAsync(fixture.Request($"if [ -e {path} ]; then ls -A {path} | wc -l; else echo 0; fi"));

        Assert.Equal("0", SandboxFixture.Text(result.Stdout).Trim());
    }
}
