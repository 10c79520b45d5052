using System.ComponentModel;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Mcp.Operations;
using Contree.Mcp.Rendering;
using Contree.Mcp.Results;
using Microsoft.Extensions.Options;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Tools;

/// <summary>get_operation, list_operations, wait_operations and cancel_operation (docs/tools.md).</summary>
[McpServerToolType]
internal sealed class OperationTools(IContreeBackend backend, OperationTracker tracker, IOptions<ContreeMcpOptions> options)
{
    [McpServerTool(Name = "get_operation", Title = "Get an operation", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Get the state or result of an operation.")]
    public async Task<OperationView> GetOperationAsync(
        [Description("The operation id returned by run or import_image.")] string operation_id,
        CancellationToken cancellationToken = default)
    {
        RequireId(operation_id);
        return OperationRenderer.Render(await tracker.GetAsync(operation_id.Trim(), cancellationToken));
    }

    [McpServerTool(Name = "list_operations", Title = "List operations", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("List recent operations.")]
    public async Task<OperationListResult> ListOperationsAsync(
        [Description("Maximum number of operations to return (1–1000).")] int limit = 100,
        [Description("Only operations in this state: PENDING, ASSIGNED, EXECUTING, SUCCESS, FAILED or CANCELLED.")] string? status = null,
        [Description("Only operations of this kind: instance or image_import.")] string? type = null,
        [Description("Only operations created since this time (e.g. '1h' or an ISO-8601 timestamp).")] string? since = null,
        CancellationToken cancellationToken = default)
    {
        if (limit is < 1 or > 1000)
        {
            throw ContreeException.InvalidArgument($"limit must be between 1 and 1000, got: {limit}");
        }

        OperationStatus? statusFilter = null;
        if (!string.IsNullOrWhiteSpace(status))
        {
            statusFilter = OperationEnums.TryParseStatus(status.Trim(), out var parsed)
                ? parsed
                : throw ContreeException.InvalidArgument($"status must be one of PENDING, ASSIGNED, EXECUTING, SUCCESS, FAILED, CANCELLED; got: {status}");
        }

        OperationKind? kindFilter = null;
        if (!string.IsNullOrWhiteSpace(type))
        {
            kindFilter = OperationEnums.TryParseKind(type.Trim(), out var parsed)
                ? parsed
                : throw ContreeException.InvalidArgument($"type must be instance or image_import; got: {type}");
        }

        var response = await backend.ListOperationsAsync(
            new OperationListQuery { Limit = limit, Status = statusFilter, Kind = kindFilter, Since = string.IsNullOrWhiteSpace(since) ? null : since },
            cancellationToken);
        return new OperationListResult([.. response.Operations.Select(OperationRenderer.Render)]);
    }

    [McpServerTool(Name = "wait_operations", Title = "Wait for operations", ReadOnly = false, Destructive = false, Idempotent = false, OpenWorld = false, UseStructuredContent = true)]
    [Description("Wait for several operations.")]
    public Task<WaitOperationsResult> WaitOperationsAsync(
        [Description("Ids of the operations to wait for (duplicates are ignored).")] List<string> operation_ids,
        [Description("Seconds to wait in this call (> 0). Operations still running then are listed in timed_out and keep running.")] double timeout = 300,
        [Description("all: wait for every operation. any: return when the first finishes and cancel the others.")] string mode = "all",
        CancellationToken cancellationToken = default)
    {
        var ids = (operation_ids ?? []).Where(id => !string.IsNullOrWhiteSpace(id)).Select(id => id.Trim()).Distinct(StringComparer.Ordinal).ToList();
        if (ids.Count == 0)
        {
            throw ContreeException.InvalidArgument("operation_ids must name at least one operation");
        }

        if (!(timeout > 0) || double.IsInfinity(timeout) || timeout > TimeSpan.MaxValue.TotalSeconds / 2)
        {
            throw ContreeException.InvalidArgument($"timeout must be a positive number of seconds, got: {timeout}");
        }

        var normalizedMode = (mode ?? "").Trim().ToLowerInvariant();
        if (normalizedMode is not ("all" or "any"))
        {
            throw ContreeException.InvalidArgument($"mode must be 'all' or 'any', got: {mode}");
        }

        return new OperationWaiter(tracker).WaitAsync(ids, TimeSpan.FromSeconds(timeout), normalizedMode == "any", cancellationToken);
    }

    [McpServerTool(Name = "cancel_operation", Title = "Cancel an operation", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Cancel an operation.")]
    public async Task<CancelResult> CancelOperationAsync(
        [Description("The operation id to cancel.")] string operation_id,
        CancellationToken cancellationToken = default)
    {
        RequireId(operation_id);
        var id = operation_id.Trim();
        var after = await tracker.CancelAsync(id, cancellationToken);
        return CancelResult.From(after with { Uuid = id }, tracker.CancelWait, options.Value.ToolPrefix + "get_operation");
    }

    private static void RequireId(string operationId)
    {
        if (string.IsNullOrWhiteSpace(operationId))
        {
            throw ContreeException.InvalidArgument("operation_id must not be empty");
        }
    }
}
