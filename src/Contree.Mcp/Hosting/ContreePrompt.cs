using Contree.Core.Errors;
using Microsoft.Extensions.Logging;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Hosting;

/// <summary>
/// Gives prompt failures the agent text of tools (docs/tools.md, "Errors"): a missing required argument is an
/// invalid-params error naming it (the SDK's binder would answer "An error occurred."), and anything unexpected is
/// <c>internal error &lt;id&gt; (…)</c> with the details logged under that id.
/// </summary>
internal sealed class ContreePrompt(McpServerPrompt inner, ILogger logger) : DelegatingMcpServerPrompt(inner)
{
    public override async ValueTask<GetPromptResult> GetAsync(RequestContext<GetPromptRequestParams> request, CancellationToken cancellationToken = default)
    {
        var missing = (ProtocolPrompt.Arguments ?? [])
            .Where(a => a.Required == true && request.Params?.Arguments?.ContainsKey(a.Name) != true)
            .Select(a => $"'{a.Name}'")
            .ToList();
        if (missing.Count > 0)
        {
            throw new McpProtocolException(
                $"invalid arguments: prompt {ProtocolPrompt.Name} needs {string.Join(" and ", missing)}", McpErrorCode.InvalidParams);
        }

        try
        {
            return await base.GetAsync(request, cancellationToken);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new McpException(InternalError.Describe(e, logger, "prompt " + ProtocolPrompt.Name).Message);
        }
    }
}
