using System.Globalization;
using System.Text;
using System.Text.Json;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;
using Microsoft.Extensions.DependencyInjection;

namespace Contree.Client.Tests;

/// <summary>
/// The Contree API returns an instance's whole kept output in the operation; the client shows it as the same inline
/// view the local engine returns and cuts byte ranges from it, over a real loopback HTTP server.
/// </summary>
public sealed class ContreeClientOutputTests
{
    private const string OpId = ClientHarness.OperationId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static string OperationJson(StreamPayload stdout, StreamPayload stderr, string status = "SUCCESS") =>
        JsonSerializer.Serialize(
            new OperationResponse
            {
                Uuid = OpId,
                Status = OperationEnums.TryParseStatus(status, out var s) ? s : OperationStatus.Success,
                Kind = OperationKind.Instance,
                Metadata = new InstanceMetadata
                {
                    Command = "seq",
                    Image = ClientHarness.ImageUuid,
                    Result = status == "SUCCESS" ? new InstanceResult { Stdout = stdout, Stderr = stderr } : null,
                },
            },
            ContreeJsonContext.Default.OperationResponse);

    private static (LoopbackApi Api, ServiceProvider Provider, IContreeBackend Backend) Start(string operationJson)
    {
        var api = new LoopbackApi((request, _) => request.Url!.AbsolutePath == $"/v1/operations/{OpId}"
            ? (200, operationJson, null)
            : (404, """{"error": "no such endpoint"}""", null));
        var provider = new ServiceCollection().AddContreeClient(o => o.BaseUrl = api.BaseUrl + "/").BuildServiceProvider();
        return (api, provider, provider.GetRequiredService<IContreeBackend>());
    }

    [Fact]
    public async Task LongAsciiOutput_GetReturnsHeadAndTailViewAndRangesAreSlicedExactly()
    {
        var printed = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 400_000).Select(static i => i.ToString(CultureInfo.InvariantCulture) + "\n")));
        var (api, provider, backend) = Start(OperationJson(StreamPayload.FromBytes(printed, truncated: true), StreamPayload.FromText("err\n")));
        using var _ = api;
        await using var __ = provider;

        var operation = await backend.GetOperationAsync(OpId, Ct);
        var stdout = operation.Instance!.Result!.Stdout;

        Assert.Equal(printed.Length, stdout.Size);
        Assert.Equal(printed.Length - StreamPayload.ViewHeadBytes - StreamPayload.ViewTailBytes, stdout.OmittedBytes);
        Assert.Equal((byte[])[.. printed[..StreamPayload.ViewHeadBytes], .. printed[^StreamPayload.ViewTailBytes..]], stdout.ToBytes());
        Assert.True(stdout.Truncated);
        Assert.Equal("err\n", operation.Instance.Result.Stderr.ToText());
        foreach (var (offset, length) in new (long, int)[] { (0, 10), (1_000_000, 4096), (printed.Length - 3, 10), (printed.Length, 10) })
        {
            var range = await backend.ReadOperationOutputAsync(OpId, OutputStream.Stdout, offset, length, Ct);
            Assert.Equal(printed.AsSpan((int)offset, (int)Math.Min(length, printed.Length - offset)).ToArray(), range.Data);
            Assert.Equal(printed.Length, range.TotalBytes);
            Assert.True(range.Truncated);
        }
    }

    [Fact]
    public async Task LongBinaryOutput_ViewAndRangesMatchTheBytes()
    {
        var printed = Enumerable.Range(0, 3_000_000).Select(static i => (byte)(i * 31 % 256)).ToArray();
        var (api, provider, backend) = Start(OperationJson(StreamPayload.FromBytes(printed), StreamPayload.Empty));
        using var _ = api;
        await using var __ = provider;

        var stdout = (await backend.GetOperationAsync(OpId, Ct)).Instance!.Result!.Stdout;
        var range = await backend.ReadOperationOutputAsync(OpId, OutputStream.Stdout, 1_234_567, 100_000, Ct);

        Assert.Equal(StreamPayload.Base64, stdout.Encoding);
        Assert.Equal(printed.Length, stdout.Size);
        Assert.Equal(StreamPayload.ViewHeadBytes, stdout.OmittedAt);
        Assert.Equal(printed.AsSpan(1_234_567, 100_000).ToArray(), range.Data);
    }

    [Fact]
    public async Task OperationOverTheJsonCap_StillReadBecauseOutputsMayBe64MiB()
    {
        // 40 MB of output is more than the 32 MiB default cap for JSON bodies, but within what a run may keep.
        var printed = new string('x', 40_000_000);
        var (api, provider, backend) = Start(OperationJson(new StreamPayload { Value = printed }, StreamPayload.Empty));
        using var _ = api;
        await using var __ = provider;

        var stdout = (await backend.GetOperationAsync(OpId, Ct)).Instance!.Result!.Stdout;

        Assert.Equal(40_000_000, stdout.Size);
        Assert.Equal(StreamPayload.ViewHeadBytes + StreamPayload.ViewTailBytes, stdout.ByteLength);
    }

    [Fact]
    public async Task RunningOperation_ReadIsAConflictLikeTheEngine()
    {
        var (api, provider, backend) = Start(OperationJson(StreamPayload.Empty, StreamPayload.Empty, "EXECUTING"));
        using var _ = api;
        await using var __ = provider;

        var error = await Assert.ThrowsAsync<ContreeException>(() => backend.ReadOperationOutputAsync(OpId, OutputStream.Stdout, 0, 10, Ct));
        var badLength = await Assert.ThrowsAsync<ContreeException>(() => backend.ReadOperationOutputAsync(OpId, OutputStream.Stdout, 0, -1, Ct));

        Assert.Equal(ContreeErrorKind.Conflict, error.Kind);
        Assert.Contains("still EXECUTING", error.Message, StringComparison.Ordinal);
        Assert.Equal(ContreeErrorKind.InvalidArgument, badLength.Kind);
    }
}
