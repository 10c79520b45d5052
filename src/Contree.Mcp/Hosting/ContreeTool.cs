using System.Text.Json;
using Contree.Core.Errors;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Hosting;

/// <summary>
/// Wraps every tool so that failures become tool results the agent can act on (spec 2.0): a ContreeException gives
/// <c>Error executing tool &lt;name&gt;: &lt;message&gt;</c>; bad arguments give
/// <c>Error executing tool &lt;name&gt;: invalid arguments: &lt;detail&gt;</c>; anything else gives a generic text
/// and is logged with its stack. Before binding, string arguments are coerced leniently where the schema wants a
/// number, a boolean, an array or an object (clients sometimes send "42", "true" or JSON text).
/// </summary>
internal sealed partial class ContreeTool(McpServerTool inner, ILogger logger) : DelegatingMcpServerTool(inner)
{
    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var name = ProtocolTool.Name;
        try
        {
            if (request.Params?.Arguments is { Count: > 0 } arguments)
            {
                ArgumentCoercion.Coerce(arguments, ProtocolTool.InputSchema);
            }

            return await base.InvokeAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (ContreeException e)
        {
            Log.ToolFailed(logger, name, e.Kind, e.Message);
            return Error($"Error executing tool {name}: {e.Message}");
        }
        catch (Exception e) when (e is ArgumentException or JsonException or FormatException or InvalidCastException or NotSupportedException)
        {
            Log.ToolFailed(logger, name, ContreeErrorKind.InvalidArgument, e.Message);
            return Error($"Error executing tool {name}: invalid arguments: {Detail(e)}");
        }
        catch (McpException e)
        {
            return Error($"Error executing tool {name}: {e.Message}");
        }
        catch (Exception e)
        {
            Log.ToolCrashed(logger, name, e);
            return Error($"Error executing tool {name}: internal error ({e.GetType().Name}); the server log has the details");
        }
    }

    private static string Detail(Exception e) =>
        e is JsonException { Path: { Length: > 0 } path } ? $"{e.Message} (at {path})" : e.Message;

    private static CallToolResult Error(string text) => new() { IsError = true, Content = [new TextContentBlock { Text = text }] };

    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Tool {Tool} failed ({Kind}): {Reason}")]
        public static partial void ToolFailed(ILogger logger, string tool, ContreeErrorKind kind, string reason);

        [LoggerMessage(Level = LogLevel.Error, Message = "Tool {Tool} crashed")]
        public static partial void ToolCrashed(ILogger logger, string tool, Exception exception);
    }
}
