using System.Collections.Concurrent;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Mcp.Caches;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Contree.Mcp.Operations;

/// <summary>
/// Follows operations until they are terminal, for any backend (docs/architecture.md, docs/tools.md).
/// A backend that implements <see cref="IOperationCompletion"/> is awaited; any other is polled on the
/// <see cref="OperationPolling"/> schedule (10 ms growing ×1.3 up to 1 s). One poller per operation
/// serves every waiter, and a waiter that gives up does not stop it. Terminal states go to the general cache (kind
/// <c>operation</c>) and to a bounded memory of recent ones (<see cref="TerminalStateCache"/>); non-terminal states
/// are never served from a cache. Memory holds only what is running plus that bound, so a server that runs for weeks
/// stays flat. Lineage is recorded from the operation's own metadata whenever a SUCCESS is first seen, however it was
/// seen.
/// </summary>
internal sealed partial class OperationTracker : IHostedService, IAsyncDisposable
{
    public const string CacheKind = "operation";
    private const int MaxTransientFailures = 20;

    private readonly IContreeBackend _backend;
    private readonly GeneralCache _cache;
    private readonly LineageStore _lineage;
    private readonly TimeProvider _time;
    private readonly ILogger<OperationTracker> _logger;
    private readonly ConcurrentDictionary<string, Lazy<Task<OperationResponse>>> _pollers = new(StringComparer.Ordinal);
    private readonly TerminalStateCache _terminal = new();

    /// <summary>Operations this server started and has not yet seen terminal; an id leaves when it is seen terminal.</summary>
    private readonly ConcurrentDictionary<string, byte> _started = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _shutdown = new();

    /// <summary>
    /// The shutdown token, taken once here: a poller that starts while (or after) the tracker shuts down must see a
    /// cancelled token, not the disposed source.
    /// </summary>
    private readonly CancellationToken _stopping;
    private int _stopped;

    public OperationTracker(IContreeBackend backend, GeneralCache cache, LineageStore lineage, TimeProvider time, ILogger<OperationTracker> logger)
    {
        _backend = backend;
        _cache = cache;
        _lineage = lineage;
        _time = time;
        _logger = logger;
        _stopping = _shutdown.Token;
    }

    /// <summary>How long shutdown waits for pollers still inside a backend call before it returns anyway.</summary>
    internal static TimeSpan ShutdownPollerWait { get; } = TimeSpan.FromSeconds(5);

    /// <summary>Number of operations this server started that are not known to be terminal.</summary>
    public int RunningCount => _started.Count;

    /// <summary>The terminal states held in memory (bounded).</summary>
    internal TerminalStateCache TerminalStates => _terminal;

    /// <summary>Registers an operation this server started: it is followed to the end and cancelled on shutdown.</summary>
    public void Track(string operationId)
    {
        _started.TryAdd(operationId, 0);
        if (_terminal.Contains(operationId))
        {
            // Already seen terminal (Observe removed it before this add, or will find it gone): nothing to follow.
            _started.TryRemove(operationId, out _);
            return;
        }

        _ = EnsurePoller(operationId);
    }

    /// <summary>The current state: a terminal state from memory or the cache, otherwise a fresh backend read.</summary>
    public async Task<OperationResponse> GetAsync(string operationId, CancellationToken cancellationToken = default)
    {
        if (TryGetTerminal(operationId, out var known))
        {
            return known;
        }

        var response = await _backend.GetOperationAsync(operationId, cancellationToken);
        return Observe(response);
    }

    /// <summary>
    /// Waits until the operation is terminal and returns it, or returns null when <paramref name="timeout"/> passes
    /// first (the operation keeps running). Cancellation of <paramref name="cancellationToken"/> ends only this wait.
    /// </summary>
    public async Task<OperationResponse?> WaitAsync(string operationId, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        if (TryGetTerminal(operationId, out var known))
        {
            return known;
        }

        var poller = EnsurePoller(operationId);
        try
        {
            return timeout == Timeout.InfiniteTimeSpan
                ? await poller.WaitAsync(cancellationToken)
                : await poller.WaitAsync(timeout, _time, cancellationToken);
        }
        catch (TimeoutException)
        {
            return null;
        }
    }

    /// <summary>How long <see cref="CancelAsync"/> waits for a cancelled operation to end (tests shorten it).</summary>
    internal TimeSpan CancelWait { get; set; } = OperationPolling.CancelWait;

    /// <summary>
    /// Cancels a non-terminal operation, then waits (at most <see cref="CancelWait"/> in all, the backend's own wait
    /// included) until it is terminal, and returns its real state: CANCELLED, another terminal status when it ended
    /// first, or a non-terminal one when the bound passed (asked to stop, not stopped yet). A terminal operation is
    /// returned as it is, without calling the backend.
    /// </summary>
    public async Task<OperationResponse> CancelAsync(string operationId, CancellationToken cancellationToken = default)
    {
        var current = await GetAsync(operationId, cancellationToken);
        if (current.Status.IsTerminal())
        {
            return current;
        }

        var started = _time.GetTimestamp();
        await _backend.CancelOperationAsync(operationId, cancellationToken);
        Log.Cancelled(_logger, operationId);
        var left = CancelWait - _time.GetElapsedTime(started);
        if (left > TimeSpan.Zero && await WaitAsync(operationId, left, cancellationToken) is { } ended)
        {
            return ended;
        }

        var after = await GetAsync(operationId, cancellationToken);
        if (!after.Status.IsTerminal())
        {
            Log.NotStoppedYet(_logger, operationId, CancelWait.TotalSeconds, after.Status.ToWire());
        }

        return after;
    }

    /// <summary>Best-effort cancel used when a waiting MCP request is cancelled, and for every running operation at shutdown.</summary>
    public async Task CancelQuietlyAsync(string operationId)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _backend.CancelOperationAsync(operationId, timeout.Token);
            Log.Cancelled(_logger, operationId);
        }
        catch (Exception e) when (e is ContreeException or OperationCanceledException)
        {
            Log.CancelFailed(_logger, operationId, e.Message);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => ShutdownAsync();

    public async ValueTask DisposeAsync() => await ShutdownAsync();

    /// <summary>
    /// Snapshots the operations this server started that are still running BEFORE stopping the pollers (a poller
    /// that stops first would hide them), then cancels each on the backend. Finally waits, bounded, for pollers that
    /// are still inside a backend call: one that answers late would otherwise publish a state and write the general
    /// cache after DisposeAsync returned. Errors are logged, never thrown.
    /// </summary>
    private async Task ShutdownAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) == 1)
        {
            return;
        }

        var running = _started.Keys.Where(id => !_terminal.Contains(id)).ToList();
        if (running.Count > 0)
        {
            Log.CancellingTracked(_logger, running.Count);
        }

        await _shutdown.CancelAsync();
        await Task.WhenAll(running.Select(CancelQuietlyAsync));

        List<Task> pollers = [.. _pollers.Values.Select(static poller => poller.Value)];
        if (pollers.Count > 0)
        {
            await Task.WhenAll(pollers).WaitAsync(ShutdownPollerWait, _time).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }

        _shutdown.Dispose();
    }

    private Task<OperationResponse> EnsurePoller(string operationId)
    {
        var lazy = _pollers.GetOrAdd(operationId, id => new Lazy<Task<OperationResponse>>(() => PollAsync(id)));
        return lazy.Value;
    }

    private async Task<OperationResponse> PollAsync(string operationId)
    {
        await Task.Yield();
        try
        {
            var token = _stopping;
            token.ThrowIfCancellationRequested();
            if (_backend is IOperationCompletion completion)
            {
                await completion.WaitForTerminalAsync(operationId, token);
            }

            var delay = OperationPolling.FirstDelay;
            var failures = 0;
            while (true)
            {
                OperationResponse response;
                try
                {
                    response = await _backend.GetOperationAsync(operationId, token);
                    failures = 0;
                }
                catch (ContreeException e) when (e.Kind == ContreeErrorKind.Unavailable && ++failures <= MaxTransientFailures)
                {
                    Log.TransientPollFailure(_logger, operationId, failures, e.Message);
                    await Task.Delay(delay, _time, token);
                    delay = OperationPolling.Next(delay);
                    continue;
                }

                if (response.Status.IsTerminal())
                {
                    return Observe(response);
                }

                await Task.Delay(delay, _time, token);
                delay = OperationPolling.Next(delay);
            }
        }
        catch (ContreeException e) when (e.Kind == ContreeErrorKind.NotFound)
        {
            // Nothing to follow or to cancel at shutdown.
            _started.TryRemove(operationId, out _);
            throw;
        }
        finally
        {
            _pollers.TryRemove(operationId, out _);
        }
    }

}
