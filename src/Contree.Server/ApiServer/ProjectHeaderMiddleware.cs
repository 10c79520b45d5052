using Contree.Client;

namespace Contree.Server.ApiServer;

/// <summary>
/// With <c>--require-project</c>: every request must carry the project header (the one the cloud backend sends with
/// iam authentication) naming exactly that project, else 403. Without the option the header is accepted and ignored.
/// </summary>
internal sealed class ProjectHeaderMiddleware
{
    private readonly RequestDelegate _next;
    private readonly string _project;

    public ProjectHeaderMiddleware(RequestDelegate next, string project)
    {
        _next = next;
        _project = project;
    }

    public Task InvokeAsync(HttpContext context)
    {
        var presented = context.Request.Headers[ContreeClientOptions.ProjectHeader].ToString().Trim();
        if (string.Equals(presented, _project, StringComparison.Ordinal))
        {
            return _next(context);
        }

        var message = presented.Length == 0
            ? $"this API requires the header '{ContreeClientOptions.ProjectHeader}: <project ID>' (iam authentication with a project); the request carried none"
            : $"the project '{presented}' of the request's {ContreeClientOptions.ProjectHeader} header is not the project this API serves";
        return ApiResponses.WriteErrorAsync(context, StatusCodes.Status403Forbidden, message);
    }
}
