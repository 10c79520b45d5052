using System.Text;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Engine.Storage;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Backend;

/// <summary>
/// A long output comes back as its inline view (head and tail), and every byte the run kept is readable by range
/// from the output file in <c>outputs/</c>, until the output retention deletes it.
/// </summary>
public sealed class LocalContreeBackendOutputTests : IAsyncDisposable
{
    /// <summary>What <c>seq 1 2000000</c> prints: 14,888,896 bytes.</summary>
    private static readonly byte[] Seq = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 2_000_000).Select(i => i + "\n")));

    private readonly EngineFixture _engine = new(o => o.OutputRetentionDays = 3);

    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    private async Task<OperationResponse> RunSeqAsync(bool disposable = true) =>
        await _engine.RunAsync(new InstanceMetadata
        {
            Command = "seq 1 2000000; echo err >&2",
            Image = _engine.CreateBusyboxImage(),
            Shell = true,
            Disposable = disposable,
            TruncateOutputAt = 64L * 1024 * 1024,
        });

    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Run_LongOutput_ResultIsHeadAndTailAndRangesReturnExactlyWhatWasPrinted(bool disposable)
    {
        var op = await RunSeqAsync(disposable);

        var stdout = op.Instance!.Result!.Stdout;
        Assert.Equal(Seq.Length, stdout.Size);
        Assert.Equal(Seq.Length - StreamPayload.ViewHeadBytes - StreamPayload.ViewTailBytes, stdout.OmittedBytes);
        Assert.Equal(StreamPayload.ViewHeadBytes, stdout.OmittedAt);
        Assert.Equal((byte[])[.. Seq[..StreamPayload.ViewHeadBytes], .. Seq[^StreamPayload.ViewTailBytes..]], stdout.ToBytes());
        Assert.False(stdout.Truncated);
        Assert.Equal("err\n", op.Instance.Result.Stderr.ToText());
        Assert.True(File.Exists(Path.Combine(_engine.DataDirectory, "outputs", op.Uuid + ".stdout")));
        Assert.False(File.Exists(Path.Combine(_engine.DataDirectory, "outputs", op.Uuid + ".stderr")));

        foreach (var (offset, length) in new (long, int)[]
        {
            (0, 100), (StreamPayload.ViewHeadBytes - 10, 20), (7_000_000, OutputRange.MaxLength), (Seq.Length - 50, 100),
            (Seq.Length - StreamPayload.ViewTailBytes, 10), (Seq.Length, 10), (Seq.Length + 5, 10), (123, 0),
        })
        {
            var range = await _engine.Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stdout, offset, length, Ct);

            var expected = Seq.AsSpan((int)Math.Min(offset, Seq.Length), (int)Math.Clamp(Seq.Length - offset, 0, length)).ToArray();
            Assert.Equal(expected, range.Data);
            Assert.Equal(Seq.Length, range.TotalBytes);
            Assert.Equal(offset, range.Offset);
        }

        var whole = new MemoryStream();
        for (long offset = 0; offset < Seq.Length; offset += OutputRange.MaxLength)
        {
            whole.Write((await _engine.Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stdout, offset, OutputRange.MaxLength, Ct)).Data);
        }

        Assert.Equal(Seq, whole.ToArray());
        var stderr = await _engine.Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stderr, 0, 100, Ct);
        Assert.Equal("err\n"u8.ToArray(), stderr.Data);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Run_ShortOutput_NoOutputFileAndRangesFromTheResult()
    {
        var op = await _engine.RunAsync(new InstanceMetadata { Command = "echo hello", Image = _engine.CreateBusyboxImage(), Shell = true });

        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_engine.DataDirectory, "outputs")));
        var range = await _engine.Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stdout, 1, 3, Ct);
        Assert.Equal("ell"u8.ToArray(), range.Data);
        Assert.Equal(6, range.TotalBytes);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Retention_OldOutputFile_DeletedAndTheMiddleReportedGoneWhileHeadAndTailRemain()
    {
        var op = await RunSeqAsync();
        var file = Path.Combine(_engine.DataDirectory, "outputs", op.Uuid + ".stdout");
        File.SetLastWriteTimeUtc(file, DateTime.UtcNow - TimeSpan.FromDays(4));
        var recent = Path.Combine(_engine.DataDirectory, "outputs", "recent.stdout");
        await File.WriteAllTextAsync(recent, "x", Ct);

        Assert.Equal(1, _engine.Get<OutputFiles>().Prune());

        Assert.False(File.Exists(file));
        Assert.True(File.Exists(recent));
        var error = await Assert.ThrowsAsync<ContreeException>(
            () => _engine.Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stdout, 7_000_000, 10, Ct));
        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
        Assert.Contains("3 days", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_engine.DataDirectory, error.Message, StringComparison.Ordinal);
        var head = await _engine.Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stdout, 0, 8, Ct);
        Assert.Equal("1\n2\n3\n4\n"u8.ToArray(), head.Data);
        var tail = await _engine.Backend.ReadOperationOutputAsync(op.Uuid, OutputStream.Stdout, Seq.Length - 8, 8, Ct);
        Assert.Equal("2000000\n"u8.ToArray(), tail.Data);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Read_RunningCancelledUnknownOrBadRange_ClearErrors()
    {
        var id = await _engine.Backend.SpawnInstanceAsync(
            new InstanceMetadata { Command = "seq 1 2000000; sleep 600", Image = _engine.CreateBusyboxImage(), Shell = true, Timeout = 600, TruncateOutputAt = 64L << 20 },
            Ct);
        while ((await _engine.Backend.GetOperationAsync(id, Ct)).Status != OperationStatus.Executing)
        {
            await Task.Yield();
        }

        var running = await Assert.ThrowsAsync<ContreeException>(() => _engine.Backend.ReadOperationOutputAsync(id, OutputStream.Stdout, 0, 10, Ct));
        Assert.Equal(ContreeErrorKind.Conflict, running.Kind);
        Assert.Contains("still EXECUTING", running.Message, StringComparison.Ordinal);

        await _engine.Backend.CancelOperationAsync(id, Ct);
        await _engine.Backend.WaitForTerminalAsync(id, Ct);
        var cancelled = await Assert.ThrowsAsync<ContreeException>(() => _engine.Backend.ReadOperationOutputAsync(id, OutputStream.Stdout, 0, 10, Ct));
        Assert.Equal(ContreeErrorKind.NotFound, cancelled.Kind);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_engine.DataDirectory, "outputs")));

        var unknown = await Assert.ThrowsAsync<ContreeException>(
            () => _engine.Backend.ReadOperationOutputAsync(Guid.NewGuid().ToString(), OutputStream.Stdout, 0, 10, Ct));
        Assert.Equal(ContreeErrorKind.NotFound, unknown.Kind);
        var negative = await Assert.ThrowsAsync<ContreeException>(() => _engine.Backend.ReadOperationOutputAsync(id, OutputStream.Stdout, -1, 10, Ct));
        Assert.Equal(ContreeErrorKind.InvalidArgument, negative.Kind);
        var tooLong = await Assert.ThrowsAsync<ContreeException>(
            () => _engine.Backend.ReadOperationOutputAsync(id, OutputStream.Stdout, 0, OutputRange.MaxLength + 1, Ct));
        Assert.Equal(ContreeErrorKind.InvalidArgument, tooLong.Kind);
    }
}
