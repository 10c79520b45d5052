using Contree.Core.Models;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Runtime;

/// <summary>A sandbox that floods its output keeps the runtime's memory bounded; what it keeps is in the spill files.</summary>
public sealed class BubblewrapRuntimeOutputTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_300MBFloodAtLargestLimit_HoldsOnlyWindowsAndSpillsTheKeptOutput()
    {
        const long limit = 64L * 1024 * 1024;
        var spill = Path.Combine(fixture.Root, "flood-" + Guid.NewGuid().ToString("N"));
        var request = fixture.Request("head -c 300000000 /dev/zero | tr '\\0' a; echo done >&2") with
        {
            TruncateOutputAt = limit,
            StdoutSpillPath = spill + ".stdout",
            StderrSpillPath = spill + ".stderr",
            Timeout = TimeSpan.FromMinutes(5),
        };

        var result = await fixture.RunAsync(request);

        Assert.Equal(0, result.State.ExitCode);
        Assert.Equal(limit, result.Stdout.KeptBytes);
        Assert.True(result.Stdout.Truncated);
        Assert.InRange(result.Stdout.PeakBufferBytes, 1, StreamPayload.ViewHeadBytes + StreamPayload.ViewTailBytes + 65536);
        Assert.Equal(spill + ".stdout", result.Stdout.SpillPath);
        Assert.Equal(limit, new FileInfo(spill + ".stdout").Length);
        await using (var file = File.OpenRead(spill + ".stdout"))
        {
            var buffer = new byte[1 << 20];
            int read;
            while ((read = await file.ReadAsync(buffer, TestContext.Current.CancellationToken)) > 0)
            {
                Assert.True(buffer.AsSpan(0, read).IndexOfAnyExcept((byte)'a') < 0, "the spill file holds only what the command printed");
            }
        }

        Assert.Equal("done\n", SandboxFixture.Text(result.Stderr));
        Assert.Null(result.Stderr.SpillPath);
        Assert.False(File.Exists(spill + ".stderr"));
        var view = result.Stdout.ToPayload();
        Assert.Equal(limit, view.Size);
        Assert.Equal(limit - StreamPayload.ViewHeadBytes - StreamPayload.ViewTailBytes, view.OmittedBytes);
    }
}
