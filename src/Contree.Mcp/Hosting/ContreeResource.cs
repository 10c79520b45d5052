using Contree.Core.Errors;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Hosting;

/// <summary>
/// Turns a failure while reading a resource into an McpException whose message the client shows: a ContreeException's
/// own message, or <c>internal error &lt;id&gt; (…)</c> with the details logged under that id (<see cref="InternalError"/>).
/// </summary>
internal sealed class ContreeResource(McpServerResource inner, ILogger logger) : DelegatingMcpServerResource(inner)
{
    public override async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.ReadAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            // The exception is not attached: the SDK may log it, and the agent's text must stand on its own.
            throw new McpException(InternalError.Describe(e, logger, "resource " + (request.Params?.Uri ?? ProtocolResourceTemplate.UriTemplate)).Message);
        }
    }
}
