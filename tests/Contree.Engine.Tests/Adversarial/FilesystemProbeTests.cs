using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>Ways out of the sandbox's root that work against a plain chroot lead nowhere in its mount namespace.</summary>
public sealed class FilesystemProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const int Enoent = 2;

    public static bool CanRun => HostRequirements.CanRunProbes;

    /// <summary>The host's bwrap binary exists on the host, never in the busybox image.</summary>
    [Fact(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRun))]
    public async Task ChrootBreakout_ReachesOnlyTheSandboxRoot()
    {
        Assert.True(File.Exists("/usr/bin/bwrap"));

        Assert.Equal(Enoent, await ProbeLayer.RunAsync(fixture, fixture.Runtime, "chroot_escape:/usr/bin/bwrap"));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task ProcRootAndCwdLinks_LeadOnlyIntoTheSandbox()
    {
        var result = await fixture.RunAsync(fixture.Request(
            "sleep 5 & for p in /proc/[0-9]*; do ls $p/root/usr/bin/bwrap $p/cwd/usr/bin/bwrap 2>/dev/null; readlink $p/root; done; kill %1"));

        Assert.Equal(string.Empty, SandboxFixture.Text(result.Stdout).Replace("/\n", string.Empty, StringComparison.Ordinal));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task SymlinkToHostPath_ResolvesInsideTheSandbox()
    {
        var secret = Path.Combine(fixture.Root, "host-only.txt");
        await File.WriteAllTextAsync(secret, "secret", TestContext.Current.CancellationToken);

        var result = await fixture.RunAsync(fixture.Request(
            $"ln -s {secret} /tmp/link && cat /tmp/link 2>/dev/null; ln {secret} /tmp/hard 2>/dev/null; cat /tmp/hard 2>/dev/null; echo end"));

        Assert.Equal("end\n", SandboxFixture.Text(result.Stdout));
    }
}
