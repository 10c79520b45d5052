using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Engine.Operations;
using System.Text.RegularExpressions;
using Contree.Engine.Tests.Storage;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Contree.Engine.Tests.Operations;

public sealed class OperationQueueTests : IAsyncDisposable
{
    private static readonly InstanceMetadata Metadata = new() { Command = "true", Image = "00000000-0000-0000-0000-000000000001" };
    private readonly StoreFixture _stores = new();
    private readonly OperationQueue _queue;

    public OperationQueueTests()
    {
        _queue = new OperationQueue(_stores.Operations, maxConcurrency: 2, TimeProvider.System, NullLogger<OperationQueue>.Instance);
    }

    public async ValueTask DisposeAsync()
    {
        await _queue.DisposeAsync();
        _stores.Dispose();
    }

    [Fact]
    public async Task Enqueue_Work_PendingExecutingSuccessPersisted()
    {
        var release = new TaskCompletionSource();
        var started = new TaskCompletionSource();
        var id = _queue.Enqueue(OperationKind.Instance, Metadata, async (_, ct) =>
        {
            started.SetResult();
            await release.Task.WaitAsync(ct);
            return new OperationOutcome(new OperationResult { Image = "result" }, Metadata with { Command = "updated" });
        });

        await started.Task.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(OperationStatus.Executing, _stores.Operations.Get(id)!.Status);
        release.SetResult();
        Assert.True(_queue.TryGetCompletion(id, out var completion) || _stores.Operations.Get(id)!.Status.IsTerminal());
        await completion.WaitAsync(TestContext.Current.CancellationToken);

        var record = _stores.Operations.Get(id)!;
        Assert.Equal(OperationStatus.Success, record.Status);
        Assert.Equal("result", record.Result?.Image);
        Assert.Equal("updated", ((InstanceMetadata)record.Metadata).Command);
        Assert.NotNull(record.FinishedAt);
    }

    [Fact]
    public async Task Enqueue_MoreThanLimit_AtMostLimitExecuteAtOnce()
    {
        var running = 0;
        var maxSeen = 0;
        var release = new TaskCompletionSource();
        var twoRunning = new TaskCompletionSource();
        var ids = Enumerable.Range(0, 6).Select(_ => _queue.Enqueue(OperationKind.Instance, Metadata, async (_, ct) =>
        {
            var now = Interlocked.Increment(ref running);
            InterlockedMax(ref maxSeen, now);
            if (now == 2)
            {
                twoRunning.TrySetResult();
            }

            await release.Task.WaitAsync(ct);
            Interlocked.Decrement(ref running);
            return new OperationOutcome(new OperationResult());
        })).ToList();

        await twoRunning.Task.WaitAsync(TestContext.Current.CancellationToken);
        Assert.Equal(4, ids.Count(id => _stores.Operations.Get(id)!.Status == OperationStatus.Pending));
        release.SetResult();
        await WaitAllAsync(ids);

        Assert.Equal(2, maxSeen);
        Assert.All(ids, id => Assert.Equal(OperationStatus.Success, _stores.Operations.Get(id)!.Status));
    }

    [Fact]
    public async Task Cancel_Pending_CancelledWithoutRunning()
    {
        var release = new TaskCompletionSource();
        var blockers = Enumerable.Range(0, 2).Select(_ => _queue.Enqueue(OperationKind.Instance, Metadata, async (_, ct) =>
        {
            await release.Task.WaitAsync(ct);
            return new OperationOutcome(new OperationResult());
        })).ToList();
        var ran = false;
        var pending = _queue.Enqueue(OperationKind.Instance, Metadata, (_, _) =>
        {
            ran = true;
            return Task.FromResult(new OperationOutcome(new OperationResult()));
        });

        Assert.True(_queue.Cancel(pending));
        release.SetResult();
        await WaitAllAsync(blockers);

        var record = _stores.Operations.Get(pending)!;
        Assert.Equal(OperationStatus.Cancelled, record.Status);
        Assert.Equal("cancelled by request", record.Error);
        Assert.False(ran);
        Assert.False(_queue.Cancel(pending));
    }

    [Fact]
    public async Task Cancel_Executing_TokenFiresAndCancelled()
    {
        var started = new TaskCompletionSource();
        var id = _queue.Enqueue(OperationKind.Instance, Metadata, async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new OperationOutcome(new OperationResult());
        });
        await started.Task.WaitAsync(TestContext.Current.CancellationToken);

        Assert.True(_queue.Cancel(id));
        await WaitAllAsync([id]);

        Assert.Equal(OperationStatus.Cancelled, _stores.Operations.Get(id)!.Status);
    }

    [Fact]
    public async Task Cancel_Executing_StaysExecutingUntilTheWorkHasCleanedUp()
    {
        // A run's work kills and reaps its sandbox after the token fires; CANCELLED must not be visible before that.
        var started = new TaskCompletionSource();
        var cleanup = new TaskCompletionSource();
        var id = _queue.Enqueue(OperationKind.Instance, Metadata, async (_, ct) =>
        {
            started.SetResult();
            try
            {
                await Task.Delay(Timeout.Infinite, ct);
            }
            finally
            {
                await cleanup.Task;
            }

            return new OperationOutcome(new OperationResult());
        });
        await started.Task.WaitAsync(TestContext.Current.CancellationToken);

        Assert.True(_queue.Cancel(id));
        Assert.True(_queue.TryGetCompletion(id, out var completion));
        var statusDuringCleanup = _stores.Operations.Get(id)!.Status;
        var completedDuringCleanup = completion.IsCompleted;
        cleanup.SetResult();
        await completion.WaitAsync(TestContext.Current.CancellationToken);

        Assert.Equal(OperationStatus.Executing, statusDuringCleanup);
        Assert.False(completedDuringCleanup);
        Assert.Equal(OperationStatus.Cancelled, _stores.Operations.Get(id)!.Status);
    }

    [Fact]
    public async Task Finished_Operations_AreDroppedFromMemoryOnceRecorded()
    {
        var ids = Enumerable.Range(0, 200)
            .Select(i => _queue.Enqueue(OperationKind.Instance, Metadata, (_, _) => Task.FromResult(new OperationOutcome(new OperationResult()))))
            .ToList();

        await WaitAllAsync(ids);

        Assert.Equal(0, _queue.LiveCount);
        Assert.All(ids, id => Assert.False(_queue.IsLive(id)));
        Assert.All(ids, id => Assert.Equal(OperationStatus.Success, _stores.Operations.Get(id)!.Status));
    }

    [Fact]
    public async Task Execute_WorkThrows_FailedWithAgentMessageOrInternalErrorId()
    {
        var logs = new CapturingLoggerProvider();
        using var factory = LoggerFactory.Create(builder => builder.AddProvider(logs).SetMinimumLevel(LogLevel.Trace));
        await using var queue = new OperationQueue(_stores.Operations, maxConcurrency: 2, TimeProvider.System, factory.CreateLogger<OperationQueue>());
        var id = queue.Enqueue(OperationKind.Instance, Metadata, (_, _) => throw ContreeException.InvalidArgument("image layer missing"));
        var other = queue.Enqueue(OperationKind.Instance, Metadata, (_, _) => throw new IOException("disk full at /srv/contree/layers"));
        var internalOne = queue.Enqueue(OperationKind.Instance, Metadata, (_, _) => throw ContreeException.Internal("run directory '/srv/contree/runs/x' does not exist"));

        foreach (var operation in new[] { id, other, internalOne })
        {
            if (queue.TryGetCompletion(operation, out var completion))
            {
                await completion.WaitAsync(TestContext.Current.CancellationToken);
            }
        }

        Assert.Equal(OperationStatus.Failed, _stores.Operations.Get(id)!.Status);
        Assert.Equal("image layer missing", _stores.Operations.Get(id)!.Error);
        foreach (var (operation, detail) in new[] { (other, "disk full at /srv/contree/layers"), (internalOne, "/srv/contree/runs/x") })
        {
            var error = _stores.Operations.Get(operation)!.Error!;
            var match = Regex.Match(error, "^internal error ([0-9a-f]{8}) \\(the details are in the server log under this id\\)$");
            Assert.True(match.Success, error);
            Assert.Contains(logs.Lines, l => l.Contains($"Internal error {match.Groups[1].Value} in operation {operation}", StringComparison.Ordinal) && l.Contains(detail, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task StopAsync_LiveOperations_CancelledAndNewWorkRefused()
    {
        var started = new TaskCompletionSource();
        var id = _queue.Enqueue(OperationKind.Instance, Metadata, async (_, ct) =>
        {
            started.SetResult();
            await Task.Delay(Timeout.Infinite, ct);
            return new OperationOutcome(new OperationResult());
        });
        await started.Task.WaitAsync(TestContext.Current.CancellationToken);

        await _queue.StopAsync(TestContext.Current.CancellationToken);

        Assert.Equal(OperationStatus.Cancelled, _stores.Operations.Get(id)!.Status);
        Assert.Equal("the engine stopped", _stores.Operations.Get(id)!.Error);
        var error = Assert.Throws<ContreeException>(() => _queue.Enqueue(OperationKind.Instance, Metadata, (_, _) => Task.FromResult(new OperationOutcome(new OperationResult()))));
        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
    }

    private async Task WaitAllAsync(IEnumerable<string> ids)
    {
        foreach (var id in ids)
        {
            if (_queue.TryGetCompletion(id, out var completion))
            {
                await completion.WaitAsync(TestContext.Current.CancellationToken);
            }
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
