using System.Net;
using Contree.Tests.Common;

namespace Contree.Client.Tests;

public sealed class ContreeClientConcurrencyTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Requests_TwelveConcurrentWithLimitThree_NeverMoreThanThreeInFlight()
    {
        using var harness = new ClientHarness(o => o.MaxConcurrentRequests = 3);
        var inFlight = 0;
        var maxInFlight = 0;
        var full = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        harness.Handler.RequestHandler = async (_, ct) =>
        {
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            if (now == 3)
            {
                full.TrySetResult();
            }

            await release.Task.WaitAsync(ct);
            Interlocked.Decrement(ref inFlight);
            return MockHttpHandler.Json(HttpStatusCode.OK, Samples.Image);
        };

        var calls = Enumerable.Range(0, 12).Select(_ => harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct)).ToArray();
        await full.Task.WaitAsync(Ct);

        // Three exchanges hold every slot and none can finish yet, so no fourth request can have been sent.
        Assert.Equal(3, harness.Requests.Count);
        release.SetResult();
        var images = await Task.WhenAll(calls);

        Assert.Equal(12, images.Length);
        Assert.Equal(12, harness.Requests.Count);
        Assert.Equal(3, maxInFlight);
    }

    [Fact]
    public async Task DownloadStream_OpenStream_DoesNotHoldASlot()
    {
        using var harness = new ClientHarness(o => o.MaxConcurrentRequests = 1);
        harness.Respond(request => request.RequestUri!.AbsolutePath.EndsWith("/download", StringComparison.Ordinal)
            ? new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(new GeneratedStream(1024 * 1024)) }
            : MockHttpHandler.Json(HttpStatusCode.OK, Samples.Image));

        await using var stream = await harness.Client.DownloadFileAsync(ClientHarness.ImageUuid, "/big", Ct);
        var image = await harness.Client.GetImageAsync(ClientHarness.ImageUuid, Ct).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(ClientHarness.ImageUuid, image.Uuid);
        Assert.True(await stream.ReadAsync(new byte[16], Ct) > 0);
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
