using Contree.Core.Errors;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Hosting;

/// <summary>Turns a ContreeException while reading a resource into an McpException carrying its message.</summary>
internal sealed class ContreeResource(McpServerResource inner) : DelegatingMcpServerResource(inner)
{
    public override async ValueTask<ReadResourceResult> ReadAsync(RequestContext<ReadResourceRequestParams> request, CancellationToken cancellationToken = default)
    {
        try
        {
            return await base.ReadAsync(request, cancellationToken);
        }
        catch (ContreeException e)
        {
            throw new McpException(e.Message, e);
        }
    }
}
