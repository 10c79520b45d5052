using Contree.Core;
using Contree.Core.Models;
using Contree.Engine.Storage;

namespace Contree.Engine;

internal sealed partial class LocalContreeBackend
{
    public Task<OperationListResponse> ListOperationsAsync(OperationListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ValidatePaging(query.Limit, query.Offset);
        var now = _time.GetUtcNow();
        var since = query.Since is { Length: > 0 } s ? Timestamps.Format(Timestamps.ParseBound(s, now, "since")) : null;
        var until = query.Until is { Length: > 0 } u ? Timestamps.Format(Timestamps.ParseBound(u, now, "until")) : null;
        var records = _operations.List(query.Status, query.Kind, since, until, query.Limit, query.Offset);
        return Task.FromResult(new OperationListResponse { Operations = [.. records.Select(r => r.ToSummary())] });
    }

    public Task<OperationResponse> GetOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        var record = _operations.Get(NormalizeId(operationId)) ?? throw OperationNotFound(operationId);
        return Task.FromResult(record.ToResponse());
    }

    /// <summary>
    /// Fires the operation's cancellation and waits, at most <see cref="OperationPolling.CancelWait"/>, until it is
    /// terminal. A run becomes CANCELLED only after the runtime returned, i.e. after its cgroup was killed and emptied,
    /// bwrap reaped and the overlay unmounted, so a CANCELLED run has no process left.
    /// </summary>
    public async Task CancelOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        var id = NormalizeId(operationId);
        if (!_queue.Cancel(id))
        {
            if (_operations.Get(id) is null)
            {
                throw OperationNotFound(operationId);
            }

            return;
        }

        if (_queue.TryGetCompletion(id, out var completion))
        {
            try
            {
                await completion.WaitAsync(OperationPolling.CancelWait, _time, cancellationToken);
            }
            catch (TimeoutException)
            {
                LogCancelNotStopped(id, OperationPolling.CancelWait.TotalSeconds);
            }
        }
    }
}
