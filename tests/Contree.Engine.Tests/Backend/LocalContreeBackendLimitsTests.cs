using Contree.Core.Models;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Backend;

/// <summary>EngineOptions limits reach the sandbox (the runtime tests cover the mechanisms themselves).</summary>
public sealed class LocalContreeBackendLimitsTests
{
    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_OverMemoryLimit_OomKilledResult()
    {
        await using var engine = new EngineFixture(o => o.DefaultMemoryLimitBytes = 32L * 1024 * 1024);
        var image = engine.CreateBusyboxImage();

        var op = await engine.RunAsync(new InstanceMetadata
        {
            Command = "x=$(head -c 300000000 /dev/zero | tr '\\0' a); echo survived",
            Image = image,
            Shell = true,
            Disposable = true,
        });

        Assert.Equal(OperationStatus.Success, op.Status);
        var result = op.Instance!.Result!;
        Assert.True(
            result.State.ExitCode == 137,
            $"exit {result.State.ExitCode}, ended by {result.State.EndedBy}, stdout '{result.Stdout.ToText()}', stderr '{result.Stderr.ToText()}'");
        Assert.Equal(RunEnd.MemoryLimit, result.State.EndedBy);
        Assert.DoesNotContain("survived", result.Stdout.ToText(), StringComparison.Ordinal);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_OverPidsLimit_ForkFails()
    {
        await using var engine = new EngineFixture(o => o.DefaultPidsLimit = 10);
        var image = engine.CreateBusyboxImage();

        var op = await engine.RunAsync(new InstanceMetadata
        {
            Command = "i=0; while [ $i -lt 40 ]; do sleep 30 & i=$((i+1)); done; echo loop-done",
            Image = image,
            Shell = true,
            Disposable = true,
            Timeout = 20,
        });

        Assert.Equal(OperationStatus.Success, op.Status);
        Assert.Contains("fork", op.Instance!.Result!.Stderr.ToText(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_WithDiskLimit_CommitKeepsEveryKindOfChangeAndFloodStops()
    {
        await using var engine = new EngineFixture(o => o.DefaultDiskLimitBytes = 32L * 1024 * 1024);
        var image = engine.CreateBusyboxImage();

        var changed = await engine.RunAsync(new InstanceMetadata
        {
            Command = "mkdir /d && echo a > /d/f && chmod 4755 /d/f && ln /d/f /d/hard && rm /bin/ls && rm -rf /etc && mkdir /etc "
                + "&& echo new > /etc/only && dd if=/dev/zero of=/flood bs=1M count=64 2>&1; rm -f /flood",
            Image = image,
            Shell = true,
            Disposable = false,
        });

        Assert.Equal(OperationStatus.Success, changed.Status);
        Assert.Contains("No space left on device", changed.Instance!.Result!.Stdout.ToText(), StringComparison.Ordinal);
        var child = changed.Result!.Image!;
        Assert.NotEqual(image, child);

        var check = await engine.RunAsync(new InstanceMetadata
        {
            Command = "cat /d/f; stat -c '%a %h' /d/f; ls /bin/ls 2>/dev/null || echo ls-gone; ls /etc; ls /flood 2>/dev/null || echo flood-gone",
            Image = child,
            Shell = true,
            Disposable = true,
            Networking = new InstanceNetworking { Enabled = false }, // the internet would show its resolv.conf and hosts in /etc
        });

        Assert.Equal("a\n4755 2\nls-gone\nonly\nflood-gone\n", check.Instance!.Result!.Stdout.ToText());
        Assert.DoesNotContain(File.ReadLines("/proc/self/mountinfo"), l => l.Contains(" " + engine.DataDirectory + "/", StringComparison.Ordinal));
        Assert.Empty(Directory.GetFileSystemEntries(Path.Combine(engine.DataDirectory, "runs")));
    }
}
