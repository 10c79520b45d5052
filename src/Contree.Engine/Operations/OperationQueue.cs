using System.Collections.Concurrent;
using System.Diagnostics;
using System.Threading.Channels;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Contree.Engine.Operations;

/// <summary>
/// Runs operations on a fixed number of workers reading one channel. Every status change (PENDING → EXECUTING →
/// SUCCESS | FAILED | CANCELLED) is written to the <see cref="OperationStore"/> before it becomes visible to
/// waiters. Each operation has its own cancellation source: cancelling a pending operation finishes it at once
/// (the worker skips it), cancelling an executing one fires the token its work observes.
/// </summary>
internal sealed partial class OperationQueue : IAsyncDisposable
{
    private readonly OperationStore _store;
    private readonly TimeProvider _time;
    private readonly ILogger<OperationQueue> _logger;
    private readonly Channel<OperationEntry> _channel = Channel.CreateUnbounded<OperationEntry>();
    private readonly ConcurrentDictionary<string, OperationEntry> _live = new(StringComparer.Ordinal);
    private readonly Task[] _workers;
    private volatile bool _stopping;

    public OperationQueue(OperationStore store, int maxConcurrency, TimeProvider time, ILogger<OperationQueue> logger)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxConcurrency, 1);
        _store = store;
        _time = time;
        _logger = logger;
        _workers = [.. Enumerable.Range(0, maxConcurrency).Select(_ => Task.Run(WorkAsync))];
    }

    /// <summary>Number of operations pending or executing.</summary>
    public int LiveCount => _live.Count;

    public bool IsLive(string operationId) => _live.ContainsKey(operationId);

    /// <summary>Records a PENDING operation and queues it; returns its id.</summary>
    public string Enqueue(OperationKind kind, OperationMetadata metadata, OperationWork work)
    {
        if (_stopping)
        {
            throw ContreeException.Unavailable("the engine is shutting down");
        }

        var id = Guid.NewGuid().ToString("D");
        var entry = new OperationEntry(id, work);
        _store.Insert(new OperationRecord(id, kind, OperationStatus.Pending, null, metadata, null, Timestamps.Format(_time.GetUtcNow()), null, 0));
        _live[id] = entry;
        if (!_channel.Writer.TryWrite(entry))
        {
            Finish(entry, OperationStatus.Cancelled, "the engine is shutting down", null, 0);
        }

        return id;
    }

    /// <summary>
    /// Requests cancellation; false when the operation is not live (already terminal or unknown). A pending
    /// operation is CANCELLED before this returns; an executing one once its work has stopped.
    /// </summary>
    public bool Cancel(string operationId, string reason = "cancelled by request")
    {
        if (!_live.TryGetValue(operationId, out var entry))
        {
            return false;
        }

        entry.CancelReason = reason;
        try
        {
            entry.Cancellation.Cancel();
        }
        catch (ObjectDisposedException)
        {
            // The operation finished while we looked it up.
            return true;
        }

        if (entry.TryTransition(OperationEntry.Pending, OperationEntry.Finished))
        {
            Finish(entry, OperationStatus.Cancelled, reason, null, 0);
        }

        return true;
    }

    /// <summary>Completes when a live operation ends; false (at once) when it is not live.</summary>
    public bool TryGetCompletion(string operationId, out Task completion)
    {
        if (_live.TryGetValue(operationId, out var entry))
        {
            completion = entry.Completion.Task;
            return true;
        }

        completion = Task.CompletedTask;
        return false;
    }

    /// <summary>Stops accepting work, cancels every live operation and waits for the workers to finish.</summary>
    public async Task StopAsync(CancellationToken cancellationToken = default)
    {
        _stopping = true;
        _channel.Writer.TryComplete();
        foreach (var id in _live.Keys)
        {
            Cancel(id, "the engine stopped");
        }

        await Task.WhenAll(_workers).WaitAsync(cancellationToken);
    }

    public async ValueTask DisposeAsync() => await StopAsync();

    private async Task WorkAsync()
    {
        await foreach (var entry in _channel.Reader.ReadAllAsync())
        {
            if (!entry.TryTransition(OperationEntry.Pending, OperationEntry.Executing))
            {
                continue;
            }

            await ExecuteAsync(entry);
        }
    }

    private async Task ExecuteAsync(OperationEntry entry)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            _store.SetStatus(entry.Id, OperationStatus.Executing);
            LogStarted(entry.Id);
            var token = entry.Cancellation.Token;
            token.ThrowIfCancellationRequested();
            var outcome = await entry.Work(entry.Id, token);
            Finish(entry, OperationStatus.Success, null, outcome, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (OperationCanceledException) when (entry.Cancellation.IsCancellationRequested)
        {
            Finish(entry, OperationStatus.Cancelled, entry.CancelReason, null, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
        catch (Exception e)
        {
            // The operation's error is what the agent reads: a message written for it, or "internal error <id>".
            var error = InternalError.Describe(e, _logger, "operation " + entry.Id);
            Finish(entry, OperationStatus.Failed, error.Message, null, Stopwatch.GetElapsedTime(started).TotalSeconds);
        }
    }

    private void Finish(OperationEntry entry, OperationStatus status, string? error, OperationOutcome? outcome, double seconds)
    {
        try
        {
            _store.Finish(entry.Id, status, error, outcome?.Metadata, outcome?.Result, Timestamps.Format(_time.GetUtcNow()), seconds);
            LogFinished(entry.Id, status, seconds);
        }
        catch (Exception e)
        {
            LogRecordFailed(entry.Id, e);
        }
        finally
        {
            _live.TryRemove(entry.Id, out _);
            entry.TryTransition(OperationEntry.Executing, OperationEntry.Finished);
            entry.Completion.TrySetResult();
            entry.Cancellation.Dispose();
        }
    }
}
