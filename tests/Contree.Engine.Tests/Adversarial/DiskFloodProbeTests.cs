using System.Globalization;
using Contree.Engine.Runtime;
using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// Disk and inode floods against the per-run disk limit: the run fills its own size-limited file system and gets
/// ENOSPC, the host's disk holds nothing of it, and no mount outlives the run, also after a crash.
/// </summary>
public sealed class DiskFloodProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const long Limit = 16L * 1024 * 1024;

    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Probe_DiskFlood_EndsWithEnospcAtTheLimit()
    {
        var request = Limited("dd if=/dev/zero of=/flood bs=1M count=64 2>&1; sync; du -sk /flood | cut -f1");
        try
        {
            var result = await fixture.RunAsync(request);

            var output = SandboxFixture.Text(result.Stdout);
            Assert.Contains("No space left on device", output, StringComparison.Ordinal);
            var keptKiB = long.Parse(output.TrimEnd().Split('\n')[^1], CultureInfo.InvariantCulture);
            Assert.InRange(keptKiB, 1, Limit / 1024);
            Assert.StartsWith(Path.Combine(request.RunDirectory, ScratchDisk.DirectoryName) + "/", result.UpperDirectory, StringComparison.Ordinal);
        }
        finally
        {
            fixture.Runtime.DeleteRunDirectory(request.RunDirectory);
        }

        Assert.False(fixture.HasMountsBelow(request.RunDirectory));
        Assert.False(Directory.Exists(request.RunDirectory));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Probe_InodeFlood_EndsAtTheInodeLimit()
    {
        var request = Limited("i=0; while [ $i -lt 20000 ] && touch /tmp/f$i 2>/dev/null; do i=$((i+1)); done; echo $i; touch /tmp/last");
        try
        {
            var result = await fixture.RunAsync(request);

            var created = long.Parse(SandboxFixture.Text(result.Stdout).Trim(), CultureInfo.InvariantCulture);
            Assert.InRange(created, 1, ScratchDisk.InodesFor(Limit));
            Assert.Contains("No space left on device", SandboxFixture.Text(result.Stderr), StringComparison.Ordinal);
        }
        finally
        {
            fixture.Runtime.DeleteRunDirectory(request.RunDirectory);
        }

        Assert.False(fixture.HasMountsBelow(request.RunDirectory));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Probe_WithoutLimit_WritesLandOnTheDataDisk()
    {
        // The control: without a limit the same write succeeds in the run directory, so the probes above can tell.
        var request = fixture.Request("dd if=/dev/zero of=/flood bs=1M count=24 2>/dev/null; echo $?");
        try
        {
            var result = await fixture.RunAsync(request);

            Assert.Equal("0\n", SandboxFixture.Text(result.Stdout));
            Assert.Equal(Path.Combine(request.RunDirectory, "upper"), result.UpperDirectory);
            Assert.Equal(24L * 1024 * 1024, new FileInfo(Path.Combine(result.UpperDirectory, "flood")).Length);
        }
        finally
        {
            fixture.Runtime.DeleteRunDirectory(request.RunDirectory);
        }
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Probe_ChangesKeptForCommit_AreReadableFromTheLimitedUpper()
    {
        var request = Limited("mkdir -p /kept && echo data > /kept/file && rm /bin/ls && mkdir /etc/fresh");
        try
        {
            var result = await fixture.RunAsync(request);

            Assert.Equal(0, result.State.ExitCode);
            Assert.True(result.FilesystemChanged);
            Assert.Equal("data\n", File.ReadAllText(Path.Combine(result.UpperDirectory, "kept", "file")));
            Assert.True(Contree.Engine.Inspect.HostFs.Lstat(Path.Combine(result.UpperDirectory, "bin", "ls")).IsDevice, "the deletion is a whiteout");
        }
        finally
        {
            fixture.Runtime.DeleteRunDirectory(request.RunDirectory);
        }
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public void CleanupStale_DiskOfACrashedRun_IsUnmountedAndRemoved()
    {
        var request = fixture.Request("true");
        ScratchDisk.Mount(request.RunDirectory, Limit);
        File.WriteAllText(Path.Combine(request.RunDirectory, ScratchDisk.DirectoryName, "left"), "x");

        fixture.Runtime.CleanupStale(fixture.RunsDirectory);

        Assert.False(fixture.HasMountsBelow(request.RunDirectory));
        Assert.False(Directory.Exists(request.RunDirectory));
    }

    private SandboxRequest Limited(string command) =>
        fixture.Request(command) with { DiskLimitBytes = Limit, Limits = new SandboxLimits(256L * 1024 * 1024, 256, 0) };
}
