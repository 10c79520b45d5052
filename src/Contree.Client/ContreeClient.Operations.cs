using System.Text.Json;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Client;

/// <summary>Operations: list (E16), get (E17) and cancel (E18). The client does not poll; the MCP layer does.</summary>
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
                    // Spec 1.4: an object with "operations" or a bare array.
                    return ContreeJson.ParseOperationList(body.Span);
                }
                catch (JsonException ex)
                {
                    throw InvalidJson(request, ex);
                }
            },
            cancellationToken);
    }

    public Task<OperationResponse> GetOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        var request = ApiRequest.Get("operations/" + OperationSegment(operationId));
        return SendAsync(request, (response, ct) => ReadJsonAsync(response, request, ContreeJsonContext.Default.OperationResponse, ct), cancellationToken);
    }

    public Task CancelOperationAsync(string operationId, CancellationToken cancellationToken = default) =>
        SendAsync(ApiRequest.Delete("operations/" + OperationSegment(operationId)), DrainAsync, cancellationToken);

    private static string OperationSegment(string operationId) => Uri.EscapeDataString(ApiPaths.Id(operationId, "operation ID"));
}
