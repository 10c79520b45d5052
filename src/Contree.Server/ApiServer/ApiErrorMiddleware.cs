using Contree.Core.Errors;

namespace Contree.Server.ApiServer;

/// <summary>
/// Turns failures into the API's error body (docs/http.md, "Errors"): a <see cref="ContreeException"/> answers
/// <c>{"error": message}</c> with <see cref="ContreeException.StatusFromKind"/>; an Internal one or anything else is
/// logged under a short id and answers 500 <c>{"error": "internal error &lt;id&gt; (…)"}</c>
/// (<see cref="InternalError"/>), so no exception text, stack or host path leaks.
/// </summary>
internal sealed class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
{
    public async Task InvokeAsync(HttpContext context)
    {
        try
        {
            await next(context);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
        }
        catch (BadHttpRequestException e)
        {
            // Kestrel's reasons (a body over the size limit, a truncated body) describe the request, not the server.
            var error = InternalError.Describe(
                new ContreeException(ContreeException.KindFromStatus(e.StatusCode), "bad request: " + e.Message, e.StatusCode, e),
                logger,
                $"{context.Request.Method} {context.Request.Path}");
            await WriteIfPossibleAsync(context, e.StatusCode, error.Message);
        }
        catch (Exception e)
        {
            var error = InternalError.Describe(e, logger, $"{context.Request.Method} {context.Request.Path}");
            await WriteIfPossibleAsync(context, error.Status, error.Message);
        }
    }

    private static async Task WriteIfPossibleAsync(HttpContext context, int status, string message)
    {
        if (context.Response.HasStarted)
        {
            // A streamed download failed midway: the status is gone, so cut the connection to signal the error.
            context.Abort();
            return;
        }

        context.Response.Clear();
        await ApiResponses.WriteErrorAsync(context, status, message);
    }
}
