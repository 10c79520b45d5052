using System.Text.Json;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Client;

/// <summary>Operations: list (E16), get (E17) and cancel (E18). Only cancel polls (bounded); waiting for runs is the MCP layer's.</summary>
internal sealed partial class ContreeClient
{
    public Task<OperationListResponse> ListOperationsAsync(OperationListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = PagedQuery(query.Limit, query.Offset);
        if (query.Status is { } status)
        {
            ApiPaths.Append(text, "status", status.ToWire());
        }

        if (query.Kind is { } kind)
        {
            ApiPaths.Append(text, "kind", kind.ToWire());
        }

        AppendIfGiven(text, "since", query.Since);
        AppendIfGiven(text, "until", query.Until);
        var request = ApiRequest.Get("operations" + text);
        return SendAsync(
            request,
            async (response, ct) =>
            {
                var body = await ReadBodyAsync(response, request, ct);
                try
                {
                    // The API answers an object with "operations" or a bare array (docs/architecture.md, Contree.Core).
                    return ContreeJson.ParseOperationList(body.Span);
                }
                catch (JsonException ex)
                {
                    throw InvalidJson(request, ex);
                }
            },
            cancellationToken);
    }

    /// <summary>
    /// The operation with each output cut to its inline view, as the local engine returns it; the whole kept output
    /// stays readable by range through <see cref="ReadOperationOutputAsync"/>.
    /// </summary>
    public async Task<OperationResponse> GetOperationAsync(string operationId, CancellationToken cancellationToken = default) =>
        WithOutputViews(await FetchOperationAsync(operationId, cancellationToken));

    /// <summary>
    /// The Contree API returns an instance's whole kept output (up to its truncate_output_at) in the operation, so a
    /// range is cut from a fresh copy of it; nothing is cached between reads.
    /// </summary>
    public async Task<OutputRange> ReadOperationOutputAsync(
        string operationId, OutputStream stream, long offset, int length, CancellationToken cancellationToken = default)
    {
        OperationOutput.ValidateRange(offset, length);
        var operation = await FetchOperationAsync(operationId, cancellationToken);
        var payload = OperationOutput.Select(operation, stream, operationId);
        return new OutputRange { Data = payload.Slice(offset, length), Offset = offset, TotalBytes = payload.Size, Truncated = payload.Truncated };
    }

    /// <summary>
    /// An operation body may carry two outputs of 64 MiB each (the largest truncate_output_at), base64-encoded when
    /// they are not ASCII: it is accepted up to this size even when MaxJsonResponseBytes is smaller, and held only while
    /// it is cut into views or ranges.
    /// </summary>
    private const long MaxOperationResponseBytes = 2 * (64L * 1024 * 1024 / 3 * 4 + 4) + 1024 * 1024;

    private Task<OperationResponse> FetchOperationAsync(string operationId, CancellationToken cancellationToken)
    {
        var request = ApiRequest.Get("operations/" + OperationSegment(operationId));
        return SendAsync(
            request,
            (response, ct) => ReadJsonAsync(response, request, ContreeJsonContext.Default.OperationResponse, ct, MaxOperationResponseBytes),
            cancellationToken);
    }

    private static OperationResponse WithOutputViews(OperationResponse operation) =>
        operation.Metadata is InstanceMetadata { Result: { } result } instance
            ? operation with { Metadata = instance with { Result = result with { Stdout = result.Stdout.ToView(), Stderr = result.Stderr.ToView() } } }
            : operation;

    /// <summary>
    /// DELETE (a 409 for an operation that has already finished is reported as such, with its final state, and ends the
    /// call), then GET on the shared <see cref="OperationPolling"/> schedule until the operation is terminal, at most
    /// <see cref="ContreeClientOptions.CancelWait"/>: a cancel returns once the operation has stopped, as on the local
    /// engine. Each read goes through the request pipeline (its retries); a read that fails for good only ends the wait,
    /// since the cancel itself was accepted and the caller reads the state next.
    /// </summary>
    public async Task CancelOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        try
        {
            await SendAsync(ApiRequest.Delete("operations/" + OperationSegment(operationId)), DrainAsync, cancellationToken);
        }
        catch (ContreeException e) when (e.StatusCode == 409)
        {
            // The API answers 409 to a cancel of an operation that has already finished: not a failure, the caller
            // reads the final state next. Any other conflict (the operation still running) stays an error.
            var final = await GetOperationAsync(operationId, cancellationToken);
            if (!final.Status.IsTerminal())
            {
                throw;
            }

            Log.CancelAlreadyFinished(_logger, operationId, final.Status.ToWire());
            return;
        }

        if (_cancelWait <= TimeSpan.Zero)
        {
            return;
        }

        using var bound = new CancellationTokenSource(_cancelWait, _timeProvider);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, bound.Token);
        var delay = OperationPolling.FirstDelay;
        try
        {
            while (!(await GetOperationAsync(operationId, wait.Token)).Status.IsTerminal())
            {
                await Task.Delay(delay, _timeProvider, wait.Token);
                delay = OperationPolling.Next(delay);
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Log.CancelNotStopped(_logger, operationId, _cancelWait.TotalSeconds);
        }
        catch (ContreeException e)
        {
            Log.CancelWaitFailed(_logger, operationId, e.Message);
        }
    }

    private static string OperationSegment(string operationId) => Uri.EscapeDataString(ApiPaths.Id(operationId, "operation ID"));
}
