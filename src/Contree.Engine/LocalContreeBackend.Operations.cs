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

    public Task CancelOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        var id = NormalizeId(operationId);
        if (!_queue.Cancel(id) && _operations.Get(id) is null)
        {
            throw OperationNotFound(operationId);
        }

        return Task.CompletedTask;
    }
}
