namespace Contree.Engine.Runtime.Network;

/// <summary>
/// Keeps the next <c>internet</c> run's network ready: each run takes the prepared one (or makes one when none is) and
/// starts preparing the next, so a run does not wait for slirp4netns to start (about 15 ms here; docs/network.md). A
/// prepared network holds one idle slirp4netns; it dies with the engine like every other.
/// </summary>
internal sealed class PreparedNetworks(Func<CancellationToken, Task<PreparedNetwork>> create) : IDisposable
{
    private readonly Lock _lock = new();
    private Task<PreparedNetwork>? _next;
    private bool _disposed;

    public async Task<PreparedNetwork> TakeAsync(CancellationToken cancellationToken)
    {
        Task<PreparedNetwork>? ready;
        lock (_lock)
        {
            ready = _next;
            _next = null;
        }

        PreparedNetwork? network = null;
        if (ready is not null)
        {
            // Even one still starting is ready sooner than a new one.
            try
            {
                network = await ready.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                DisposeWhenDone(ready);
                throw;
            }
#pragma warning disable CA1031 // A prepared network that failed is replaced below, whose failure then reaches the run.
            catch (Exception)
#pragma warning restore CA1031
            {
                network = null;
            }

            if (network is { Slirp.IsRunning: false })
            {
                network.Dispose();
                network = null;
            }
        }

        network ??= await create(cancellationToken);
        Refill();
        return network;
    }

    public void Dispose()
    {
        Task<PreparedNetwork>? next;
        lock (_lock)
        {
            _disposed = true;
            next = _next;
            _next = null;
        }

        if (next is not null)
        {
            DisposeWhenDone(next);
        }
    }

    private void Refill()
    {
        lock (_lock)
        {
            if (!_disposed && _next is null)
            {
                _next = Task.Run(() => create(CancellationToken.None));
            }
        }
    }

    private static void DisposeWhenDone(Task<PreparedNetwork> task) =>
        _ = task.ContinueWith(static t =>
        {
            if (t.IsCompletedSuccessfully)
            {
                t.Result.Dispose();
            }
        }, TaskScheduler.Default);
}
