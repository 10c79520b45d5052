using System.ComponentModel;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Unicode;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;
using Contree.Mcp.Json;
using Contree.Mcp.Operations;
using Contree.Mcp.Rendering;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Resources;

/// <summary>
/// Operation resources: an instance as JSON, an import as lines of text, and every byte an instance kept of
/// its stdout and stderr, by range (docs/tools.md, "Output").
/// </summary>
[McpServerResourceType]
internal sealed class OperationResources(OperationTracker tracker, IContreeBackend backend)
{
    [McpServerResource(UriTemplate = "contree://operations/instance/{operation_id}/stdout{?offset,length}", Name = "contree_instance_stdout", Title = "Instance stdout", MimeType = "text/plain")]
    [Description("Bytes of the stdout an instance kept (all of it up to truncate_output_at, also what its result leaves out): ?offset= (default 0) and ?length= (default and at most 1048576). Text when the bytes are valid UTF-8, else a base64 blob; empty past the end.")]
    public Task<ResourceContents> StdoutAsync(
        RequestContext<ReadResourceRequestParams> context,
        [Description("The operation id.")] string operation_id,
        [Description("First byte to return (0-based).")] long? offset = null,
        [Description("Bytes to return, at most 1048576.")] int? length = null,
        CancellationToken cancellationToken = default) =>
        ReadOutputAsync(context, operation_id, OutputStream.Stdout, offset, length, cancellationToken);

    [McpServerResource(UriTemplate = "contree://operations/instance/{operation_id}/stderr{?offset,length}", Name = "contree_instance_stderr", Title = "Instance stderr", MimeType = "text/plain")]
    [Description("Bytes of the stderr an instance kept, by range like contree://operations/instance/{operation_id}/stdout.")]
    public Task<ResourceContents> StderrAsync(
        RequestContext<ReadResourceRequestParams> context,
        [Description("The operation id.")] string operation_id,
        [Description("First byte to return (0-based).")] long? offset = null,
        [Description("Bytes to return, at most 1048576.")] int? length = null,
        CancellationToken cancellationToken = default) =>
        ReadOutputAsync(context, operation_id, OutputStream.Stderr, offset, length, cancellationToken);

    [McpServerResource(UriTemplate = "contree://operations/instance/{operation_id}", Name = "contree_instance_operation", Title = "Instance operation", MimeType = "application/json")]
    [Description("State and result of an instance operation as JSON: state, error, result_image, result_tag, exit_code, timed_out, stdout, stderr (UTF-8 text, at most 1 MiB each as in tool results), stdout_bytes, stderr_bytes, *_omitted_bytes and *_resource when output was left out, and resources.")]
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
            if ((RunEndHint.For(endedBy, operation.Instance!.Timeout) ?? RunEndHint.ForNetwork(operation.Instance, outcome)) is { } hint)
            {
                json["hint"] = hint;
            }

            var view = OperationRenderer.Render(operation);
            json["stdout"] = view.Stdout;
            json["stderr"] = view.Stderr;
            json["stdout_bytes"] = view.StdoutBytes;
            json["stderr_bytes"] = view.StderrBytes;
            if (view.StdoutOmittedBytes is { } stdoutOmitted)
            {
                json["stdout_omitted_bytes"] = stdoutOmitted;
                json["stdout_resource"] = view.StdoutResource;
            }

            if (view.StderrOmittedBytes is { } stderrOmitted)
            {
                json["stderr_omitted_bytes"] = stderrOmitted;
                json["stderr_resource"] = view.StderrResource;
            }

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

    private async Task<ResourceContents> ReadOutputAsync(
        RequestContext<ReadResourceRequestParams> context, string operationId, OutputStream stream, long? offset, int? length, CancellationToken cancellationToken)
    {
        if (length is < 0 or > OutputText.MaxResourceBytes)
        {
            throw ContreeException.InvalidArgument($"length must be between 0 and {OutputText.MaxResourceBytes} bytes, got {length}");
        }

        var range = await backend.ReadOperationOutputAsync(operationId.Trim(), stream, offset ?? 0, length ?? OutputText.MaxResourceBytes, cancellationToken);
        var uri = context.Params?.Uri ?? "";
        return Utf8.IsValid(range.Data)
            ? new TextResourceContents { Uri = uri, MimeType = "text/plain", Text = System.Text.Encoding.UTF8.GetString(range.Data) }
            : BlobResourceContents.FromBytes(range.Data, uri, "application/octet-stream");
    }
}
