using Contree.Core.Errors;

namespace Contree.Server.ApiServer;

/// <summary>
/// Turns failures into the API's error body (spec 1.5): a <see cref="ContreeException"/> answers
/// <c>{"error": message}</c> with <see cref="ContreeException.StatusFromKind"/>; anything else is logged and
/// answers 500 <c>{"error": "internal error"}</c> so no internal detail leaks.
/// </summary>
internal sealed partial class ApiErrorMiddleware(RequestDelegate next, ILogger<ApiErrorMiddleware> logger)
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
        catch (ContreeException e)
        {
            var status = ContreeException.StatusFromKind(e.Kind);
            LogBackendError(logger, context.Request.Method, context.Request.Path, status, e.Message);
            await WriteIfPossibleAsync(context, status, e.Message);
        }
        catch (Exception e)
        {
            LogUnexpected(logger, e, context.Request.Method, context.Request.Path);
            await WriteIfPossibleAsync(context, StatusCodes.Status500InternalServerError, "internal error");
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

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Method} {Path} -> {Status}: {Error}")]
    private static partial void LogBackendError(ILogger logger, string method, PathString path, int status, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled error in {Method} {Path}")]
    private static partial void LogUnexpected(ILogger logger, Exception exception, string method, PathString path);
}
