
namespace Contree.Server.Hosting;

/// <summary>
/// DNS-rebinding protection of the MCP HTTP transport (docs/http.md): a Host header naming a host
/// outside the allowed list answers 421 "Invalid Host header"; an Origin header whose host is not allowed
/// answers 403 "Invalid Origin header". The allowed list <c>*</c> turns both checks off.
/// </summary>
internal sealed class HostOriginMiddleware(RequestDelegate next, IReadOnlyList<string> allowedHosts)
{
    private readonly HashSet<string> _allowed = new(allowedHosts, StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context)
    {
        if (_allowed.Contains("*"))
        {
            await next(context);
            return;
        }

        if (!context.Request.Host.HasValue || !_allowed.Contains(context.Request.Host.Host))
        {
            await RejectAsync(context, StatusCodes.Status421MisdirectedRequest, "Invalid Host header");
            return;
        }

        var origin = context.Request.Headers.Origin.ToString();
        if (origin.Length > 0 && !(Uri.TryCreate(origin, UriKind.Absolute, out var uri) && _allowed.Contains(uri.Host)))
        {
            await RejectAsync(context, StatusCodes.Status403Forbidden, "Invalid Origin header");
            return;
        }

        await next(context);
    }

    private static Task RejectAsync(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "text/plain; charset=utf-8";
        return context.Response.WriteAsync(message, context.RequestAborted);
    }
}
