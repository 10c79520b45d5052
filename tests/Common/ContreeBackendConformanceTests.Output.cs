using System.Globalization;
using System.Text;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>
/// Long output, alike on every backend: the operation carries its inline view (first and last 512 KiB, and how much
/// lies between), and every kept byte is readable by range.
/// </summary>
public abstract partial class ContreeBackendConformanceTests
{
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_LongOutput_InlineViewAndExactRanges()
    {
        var printed = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 200_000).Select(static i => i.ToString(CultureInfo.InvariantCulture) + "\n")));
        var op = await RunAsync(new InstanceMetadata
        {
            Command = "seq 1 200000; head -c 2000000 /dev/zero >&2",
            Image = BaseImage,
            Shell = true,
            Disposable = true,
            TruncateOutputAt = 1_500_000,
        });

        var result = AssertInstanceSucceeded(op);
        Assert.Equal(printed.Length, result.Stdout.Size);
        Assert.Equal(printed.Length - StreamPayload.ViewHeadBytes - StreamPayload.ViewTailBytes, result.Stdout.OmittedBytes);
        Assert.Equal((byte[])[.. printed[..StreamPayload.ViewHeadBytes], .. printed[^StreamPayload.ViewTailBytes..]], result.Stdout.ToBytes());
        Assert.False(result.Stdout.Truncated);
        Assert.Equal(1_500_000, result.Stderr.Size);
        Assert.True(result.Stderr.Truncated);

        var middle = await Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stdout, 600_000, 300_000, Token);
        Assert.Equal(printed.AsSpan(600_000, 300_000).ToArray(), middle.Data);
        Assert.Equal(printed.Length, middle.TotalBytes);
        var end = await Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stdout, printed.Length - 7, 100, Token);
        Assert.Equal("200000\n"u8.ToArray(), end.Data);
        var zeros = await Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stderr, 700_000, 1_000_000, Token);
        Assert.Equal(800_000, zeros.Data.Length);
        Assert.True(zeros.Data.AsSpan().IndexOfAnyExcept((byte)0) < 0);
        Assert.True(zeros.Truncated);
        var error = await Assert.ThrowsAsync<ContreeException>(() => Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stdout, -1, 10, Token));
        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
    }
}
