using System.Diagnostics;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Tests.Common;

namespace Contree.Mcp.Tests.Operations;

public sealed class OperationTrackerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static Task<string> SpawnAsync(TrackerFixture f, bool disposable = true) =>
        f.Backend.SpawnInstanceAsync(new InstanceMetadata { Command = "echo hi", Image = f.Backend.AddImage(), Shell = true, Disposable = disposable }, Ct);

    [Fact]
    public async Task WaitAsync_PollingShortRun_DoesNotWaitAFullPollInterval()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        f.Backend.ReadsBeforeCompletion = 2;
        var id = await SpawnAsync(f);
        var clock = Stopwatch.StartNew();

        var response = await f.Tracker.WaitAsync(id, TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(OperationStatus.Success, response!.Status);
        Assert.Equal(3, f.Backend.CallCount(nameof(f.Backend.GetOperationAsync)));
        Assert.True(clock.Elapsed < TimeSpan.FromMilliseconds(900), $"took {clock.Elapsed}");
    }

    [Fact]
    public void PollSchedule_SeesARunSoonAfterItEndsWithFewPolls()
    {
        var polls = new List<TimeSpan> { TimeSpan.Zero };
        var delay = OperationPolling.FirstDelay;
        while (polls[^1] < TimeSpan.FromSeconds(30))
        {
            polls.Add(polls[^1] + delay);
            delay = OperationPolling.Next(delay);
        }

        // A run ending at t is seen at the first poll after t: never more than 30 % (plus the first pause) later.
        foreach (var end in new[] { 50, 100, 110, 250, 1000, 2500 }.Select(ms => TimeSpan.FromMilliseconds(ms)))
        {
            var seen = polls.First(p => p >= end);
            Assert.True(seen - end <= end * 0.3 + OperationPolling.FirstDelay, $"a run ending at {end.TotalMilliseconds} ms is seen at {seen.TotalMilliseconds} ms");
        }

        Assert.InRange(polls.Count(p => p < TimeSpan.FromSeconds(1)), 5, 15);
        Assert.Equal(OperationPolling.MaxDelay, polls[^1] - polls[^2]);
    }

    [Fact]
    public async Task WaitAsync_PollingDelayedCompletion_PollsUntilTerminal()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        f.Backend.CompletionDelay = TimeSpan.FromMilliseconds(150);
        var id = await SpawnAsync(f);

        var response = await f.Tracker.WaitAsync(id, TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(OperationStatus.Success, response!.Status);
        Assert.True(f.Backend.CallCount(nameof(f.Backend.GetOperationAsync)) > 1);
    }

    [Fact]
    public async Task WaitAsync_BackendWithCompletion_AwaitsInsteadOfPolling()
    {
        await using var f = new TrackerFixture(pollingOnly: false);
        f.Backend.ReadsBeforeCompletion = 50;
        var id = await SpawnAsync(f);

        var response = await f.Tracker.WaitAsync(id, TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(OperationStatus.Success, response!.Status);
        Assert.Equal(1, f.Backend.CallCount(nameof(f.Backend.WaitForTerminalAsync)));
        Assert.Equal(1, f.Backend.CallCount(nameof(f.Backend.GetOperationAsync)));
    }

    [Fact]
    public async Task GetAsync_TerminalOperation_IsServedFromMemoryAndFromTheGeneralCache()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        var id = await SpawnAsync(f);
        await f.Tracker.GetAsync(id, Ct);
        await f.Tracker.GetAsync(id, Ct);
        Assert.Equal(1, f.Backend.CallCount(nameof(f.Backend.GetOperationAsync)));

        await using var second = f.NewTracker();
        var fromCache = await second.GetAsync(id, Ct);

        Assert.Equal(OperationStatus.Success, fromCache.Status);
        Assert.Equal(1, f.Backend.CallCount(nameof(f.Backend.GetOperationAsync)));
        Assert.NotNull(f.Cache.Get("operation", id));
    }

    [Fact]
    public async Task GetAsync_NonTerminalOperation_IsNeverServedFromCache()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        f.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var id = await SpawnAsync(f);

        Assert.Equal(OperationStatus.Executing, (await f.Tracker.GetAsync(id, Ct)).Status);
        Assert.Equal(OperationStatus.Executing, (await f.Tracker.GetAsync(id, Ct)).Status);
        f.Backend.Release(id);

        Assert.Equal(OperationStatus.Success, (await f.Tracker.GetAsync(id, Ct)).Status);
        Assert.Equal(3, f.Backend.CallCount(nameof(f.Backend.GetOperationAsync)));
        Assert.Null(f.Cache.Get("operation", "missing"));
    }

    [Fact]
    public async Task WaitAsync_Timeout_ReturnsNullAndLeavesOperationRunning()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        f.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var id = await SpawnAsync(f);

        var response = await f.Tracker.WaitAsync(id, TimeSpan.FromMilliseconds(100), Ct);

        Assert.Null(response);
        Assert.Equal(OperationStatus.Executing, f.Backend.StatusOf(id));
        Assert.Empty(f.Backend.CancelRequests);
    }

    [Fact]
    public async Task WaitAsync_WaiterCancelled_PollerKeepsRunningForOthers()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        f.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var id = await SpawnAsync(f);
        using var cancel = new CancellationTokenSource();
        var first = f.Tracker.WaitAsync(id, Timeout.InfiniteTimeSpan, cancel.Token);
        var second = f.Tracker.WaitAsync(id, TimeSpan.FromSeconds(30), Ct);

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        f.Backend.Release(id);

        Assert.Equal(OperationStatus.Success, (await second)!.Status);
    }

    [Fact]
    public async Task WaitAsync_TransientErrors_AreRetried()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        var id = await SpawnAsync(f);
        f.Backend.FailNext(nameof(f.Backend.GetOperationAsync), ContreeException.Unavailable("busy"), times: 2);

        var response = await f.Tracker.WaitAsync(id, TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(OperationStatus.Success, response!.Status);
        Assert.Equal(3, f.Backend.CallCount(nameof(f.Backend.GetOperationAsync)));
    }

    [Fact]
    public async Task WaitAsync_NotFound_EndsTheWaitWithThatError()
    {
        await using var f = new TrackerFixture(pollingOnly: true);

        var error = await Assert.ThrowsAsync<ContreeException>(() => f.Tracker.WaitAsync("nope", TimeSpan.FromSeconds(30), Ct));

        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
        Assert.Equal("Operation not found: nope", error.Message);
    }

    [Fact]
    public async Task DisposeAsync_CancelsTrackedRunningOperationsOnly()
    {
        var f = new TrackerFixture(pollingOnly: true);
        var finished = await SpawnAsync(f);
        await f.Tracker.WaitAsync(finished, TimeSpan.FromSeconds(30), Ct);
        f.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var running = await SpawnAsync(f);
        f.Tracker.Track(finished);
        f.Tracker.Track(running);

        await f.DisposeAsync();

        Assert.Equal(OperationStatus.Cancelled, f.Backend.StatusOf(running));
        Assert.Equal(OperationStatus.Success, f.Backend.StatusOf(finished));
        Assert.Equal([running], f.Backend.CancelRequests);
    }

    [Fact]
    public async Task DisposeAsync_PollerInsideABackendRead_FinishesBeforeDisposeReturns()
    {
        // A poller that is inside a backend read when the tracker shuts down answers after the cancel: it must be done
        // (its CANCELLED state published and cached) by the time DisposeAsync returns, not write the cache afterwards.
        var f = new TrackerFixture(pollingOnly: true);
        f.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var running = await SpawnAsync(f);
        var reading = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        f.Backend.BeforeOperationRead = async (_, _) =>
        {
            reading.TrySetResult();
            await release.Task;
        };
        f.Tracker.Track(running);
        await reading.Task.WaitAsync(TimeSpan.FromSeconds(30), Ct);

        var dispose = f.Tracker.DisposeAsync().AsTask();
        while (f.Backend.CancelRequests.IsEmpty)
        {
            await Task.Delay(1, Ct);
        }

        await Task.WhenAny(dispose, Task.Delay(200, Ct));
        var finishedWhileReadInFlight = dispose.IsCompleted;
        release.SetResult();
        await dispose;

        Assert.False(finishedWhileReadInFlight, "DisposeAsync returned while a poller was still inside a backend read");
        Assert.Contains("CANCELLED", f.Cache.Get("operation", running)?.Data, StringComparison.Ordinal);
        await f.DisposeAsync();
    }

    [Fact]
    public async Task WaitAsync_AfterShutdown_IsCancelledInsteadOfTouchingTheDisposedSource()
    {
        var f = new TrackerFixture(pollingOnly: true);
        f.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };
        var running = await SpawnAsync(f);
        await f.Tracker.DisposeAsync();

        f.Tracker.Track(running);
        var error = await Record.ExceptionAsync(() => f.Tracker.WaitAsync(running, TimeSpan.FromSeconds(30), Ct));

        Assert.IsType<OperationCanceledException>(error, exactMatch: false);
        await f.DisposeAsync();
    }

    [Fact]
    public async Task Tracker_ManyMoreOperationsThanItsMemory_HoldsAtMostTheBoundAndStillAnswersEvictedOnes()
    {
        await using var f = new TrackerFixture(pollingOnly: false);
        var capacity = f.Tracker.TerminalStates.Capacity;
        var image = f.Backend.AddImage();
        var ids = new List<string>();
        for (var i = 0; i < capacity * 3; i++)
        {
            var id = await f.Backend.SpawnInstanceAsync(new InstanceMetadata { Command = $"echo {i}", Image = image, Shell = true, Disposable = true }, Ct);
            f.Tracker.Track(id);
            Assert.Equal(OperationStatus.Success, (await f.Tracker.WaitAsync(id, TimeSpan.FromSeconds(30), Ct))!.Status);
            ids.Add(id);
        }

        Assert.Equal(capacity, f.Tracker.TerminalStates.Count);
        Assert.Equal(0, f.Tracker.RunningCount);
        Assert.False(f.Tracker.TerminalStates.Contains(ids[0]));

        // Evicted: answered from the general cache, and without it from the backend.
        var reads = f.Backend.CallCount(nameof(f.Backend.GetOperationAsync));
        Assert.Equal("echo 0", (await f.Tracker.GetAsync(ids[0], Ct)).Instance!.Result!.Stdout.ToText());
        Assert.Equal(reads, f.Backend.CallCount(nameof(f.Backend.GetOperationAsync)));
        Assert.True(f.Cache.Delete("operation", ids[1]));
        Assert.Equal("echo 1", (await f.Tracker.GetAsync(ids[1], Ct)).Instance!.Result!.Stdout.ToText());
        Assert.Equal(reads + 1, f.Backend.CallCount(nameof(f.Backend.GetOperationAsync)));
        Assert.Equal(capacity, f.Tracker.TerminalStates.Count);
    }

    [Fact]
    public async Task Tracker_LargeOutputs_StayWithinTheByteBoundAndAreServedAgain()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        var output = new string('o', 100 * 1024);
        f.Backend.RunHandler = request => new FakeRunOutcome { Stdout = request.Command == "huge" ? new string('h', 4 * 1024 * 1024) : output };
        var image = f.Backend.AddImage();
        for (var i = 0; i < 300; i++)
        {
            var id = await f.Backend.SpawnInstanceAsync(new InstanceMetadata { Command = $"print {i}", Image = image, Shell = true, Disposable = true, TruncateOutputAt = 1 << 20 }, Ct);
            await f.Tracker.GetAsync(id, Ct);
        }

        var huge = await f.Backend.SpawnInstanceAsync(
            new InstanceMetadata { Command = "huge", Image = image, Shell = true, Disposable = true, TruncateOutputAt = 8 << 20 }, Ct);
        var first = await f.Tracker.GetAsync(huge, Ct);
        var again = await f.Tracker.GetAsync(huge, Ct);

        Assert.InRange(f.Tracker.TerminalStates.Bytes, 1, f.Tracker.TerminalStates.MaxBytes);
        Assert.True(f.Tracker.TerminalStates.Count < 300);
        Assert.False(f.Tracker.TerminalStates.Contains(huge));
        foreach (var served in new[] { first, again })
        {
            // Backends return the output's inline view (head and tail); its size still counts every byte.
            Assert.Equal(4 * 1024 * 1024, served.Instance!.Result!.Stdout.Size);
            Assert.Equal(StreamPayload.ViewHeadBytes + StreamPayload.ViewTailBytes, served.Instance.Result.Stdout.ToText().Length);
        }
    }

    [Fact]
    public async Task CancelAsync_TerminalOperation_DoesNotCallTheBackend()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        var id = await SpawnAsync(f);

        var after = await f.Tracker.CancelAsync(id, Ct);

        Assert.Equal(OperationStatus.Success, after.Status);
        Assert.Empty(f.Backend.CancelRequests);
    }

    [Fact]
    public async Task GetAsync_SuccessSeenFirstHere_RecordsLineageFromMetadata()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        f.Backend.RunHandler = _ => new FakeRunOutcome { ExitCode = 3, WriteFiles = new Dictionary<string, string> { ["/a"] = "a" } };
        var input = f.Backend.AddImage();
        var id = await f.Backend.SpawnInstanceAsync(new InstanceMetadata { Command = "make", Image = input, Shell = true }, Ct);

        var response = await f.Tracker.GetAsync(id, Ct);

        var lineage = f.Lineage.Describe(response.Result!.Image!);
        Assert.True(lineage.IsKnown);
        Assert.Equal(input, lineage.Parent!.Image);
        Assert.Equal(1, lineage.Depth);
        var child = Assert.Single(f.Lineage.Describe(input).Children);
        Assert.Equal("make", child.Command);
        Assert.Equal(3, child.ExitCode);
    }

    [Fact]
    public async Task GetAsync_ImportWithCredentials_StripsThemBeforeCaching()
    {
        await using var f = new TrackerFixture(pollingOnly: true);
        var id = await f.Backend.ImportImageAsync(
            new ImportImageMetadata { Registry = new ImageRegistry { Url = "docker://ghcr.io/o/i:1", Credentials = new ImageCredentials { Username = "u", Password = "secret-token" } }, Tag = "t" },
            Ct);

        var response = await f.Tracker.GetAsync(id, Ct);

        Assert.True(response.Import!.Registry.Credentials.IsAnonymous);
        Assert.DoesNotContain("secret-token", f.Cache.Get("operation", id)!.Data, StringComparison.Ordinal);
        var root = f.Lineage.Describe(response.Result!.Image!).Root!;
        Assert.True(root.IsImport);
        Assert.Equal("docker://ghcr.io/o/i:1", root.RegistryUrl);
    }
}
