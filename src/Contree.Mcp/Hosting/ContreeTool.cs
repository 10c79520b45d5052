using System.Reflection;
using Contree.Core.Errors;
using Microsoft.Extensions.Logging;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Hosting;

/// <summary>
/// Wraps every tool so that failures become tool results the agent can act on (docs/tools.md, "Errors"). Before
/// binding, string arguments are coerced leniently where the schema wants a number, a boolean, an array or an object
/// (clients sometimes send "42", "true" or JSON text), then <see cref="ArgumentBinding"/> checks what the SDK's binder
/// would reject: bad arguments give <c>Error executing tool &lt;name&gt;: invalid arguments: &lt;detail naming the
/// argument&gt;</c>. A ContreeException gives <c>Error executing tool &lt;name&gt;: &lt;message&gt;</c>; anything else,
/// and a ContreeException of kind Internal, gives <c>internal error &lt;id&gt; (…)</c> with the details logged under
/// that id (<see cref="InternalError"/>).
/// </summary>
internal sealed class ContreeTool(McpServerTool inner, MethodInfo method, ILogger logger) : DelegatingMcpServerTool(inner)
{
    private readonly ArgumentBinding _binding = new(method, inner.ProtocolTool.InputSchema);

    public override async ValueTask<CallToolResult> InvokeAsync(RequestContext<CallToolRequestParams> request, CancellationToken cancellationToken = default)
    {
        var name = ProtocolTool.Name;
        try
        {
            var arguments = request.Params?.Arguments;
            if (arguments is { Count: > 0 })
            {
                ArgumentCoercion.Coerce(arguments, ProtocolTool.InputSchema);
            }

            _binding.Validate(arguments);
            return await base.InvokeAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            var error = InternalError.Describe(e, logger, "tool " + name);
            return new CallToolResult { IsError = true, Content = [new TextContentBlock { Text = $"Error executing tool {name}: {error.Message}" }] };
        }
    }
}
