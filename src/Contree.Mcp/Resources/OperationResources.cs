using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;
using Contree.Mcp.Json;
using Contree.Mcp.Operations;
using Contree.Mcp.Rendering;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Resources;

/// <summary>Operation resources (spec 3.1): an instance as JSON, an import as lines of text.</summary>
[McpServerResourceType]
internal sealed class OperationResources(OperationTracker tracker)
{
    [McpServerResource(UriTemplate = "contree://operations/instance/{operation_id}", Name = "contree_instance_operation", Title = "Instance operation", MimeType = "application/json")]
    [Description("State and result of an instance operation as JSON: state, error, result_image, result_tag, exit_code, timed_out, stdout, stderr (UTF-8 text) and resources.")]
    public async Task<TextResourceContents> InstanceAsync(
        RequestContext<ReadResourceRequestParams> context,
        [Description("The operation id.")] string operation_id,
        CancellationToken cancellationToken = default)
    {
        var operation = await tracker.GetAsync(operation_id, cancellationToken);
        if (operation.Kind != OperationKind.Instance)
        {
            throw ContreeException.InvalidArgument($"Operation {operation_id} is not an instance operation (kind={operation.Kind.ToWire()})");
        }

        var json = new JsonObject { ["state"] = operation.Status.ToWire() };
        if (!string.IsNullOrEmpty(operation.Error))
        {
            json["error"] = operation.Error;
        }

        if (operation.Result is { } result)
        {
            json["result_image"] = result.Image;
            if (!string.IsNullOrEmpty(result.Tag))
            {
                json["result_tag"] = result.Tag;
            }
        }

        if (operation.Instance?.Result is { } outcome)
        {
            json["exit_code"] = outcome.State.ExitCode;
            json["timed_out"] = outcome.State.TimedOut;
            var endedBy = RunEnd.Of(outcome.State, operation.Status);
            json["ended_by"] = endedBy;
            if (RunEndHint.For(endedBy, operation.Instance!.Timeout) is { } hint)
            {
                json["hint"] = hint;
            }

            json["stdout"] = outcome.Stdout.ToText();
            json["stderr"] = outcome.Stderr.ToText();
            json["resources"] = JsonSerializer.SerializeToNode(outcome.Resources, ContreeJsonContext.Default.ConsumedResources);
        }

        return new TextResourceContents { Uri = context.Params?.Uri ?? "", MimeType = "application/json", Text = json.ToJsonString(McpJson.Indented) };
    }

    [McpServerResource(UriTemplate = "contree://operations/import/{operation_id}", Name = "contree_import_operation", Title = "Import operation", MimeType = "text/plain")]
    [Description("State and result of an import as lines: STATE, RESULT_IMAGE, RESULT_TAG, REGISTRY_URL and ERROR (followed by the error text).")]
    public async Task<TextResourceContents> ImportAsync(
        RequestContext<ReadResourceRequestParams> context,
        [Description("The operation id.")] string operation_id,
        CancellationToken cancellationToken = default)
    {
        var operation = await tracker.GetAsync(operation_id, cancellationToken);
        if (operation.Kind != OperationKind.ImageImport)
        {
            throw ContreeException.InvalidArgument($"Operation {operation_id} is not an import operation (kind={operation.Kind.ToWire()})");
        }

        var lines = new List<string> { $"STATE: {operation.Status.ToWire()}" };
        if (!string.IsNullOrEmpty(operation.Result?.Image))
        {
            lines.Add($"RESULT_IMAGE: {operation.Result.Image}");
        }

        if (!string.IsNullOrEmpty(operation.Result?.Tag))
        {
            lines.Add($"RESULT_TAG: {operation.Result.Tag}");
        }

        if (operation.Import is { Registry.Url: { Length: > 0 } url })
        {
            lines.Add($"REGISTRY_URL: {url}");
        }

        if (!string.IsNullOrEmpty(operation.Error))
        {
            lines.Add("ERROR:");
            lines.Add(operation.Error);
        }

        return new TextResourceContents { Uri = context.Params?.Uri ?? "", MimeType = "text/plain", Text = string.Join('\n', lines) };
    }
}
