using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Server.ApiServer;

/// <summary>
/// Maps endpoints E1–E18 of the Contree /v1 API (docs/http.md) onto any <see cref="IContreeBackend"/>. Handlers only
/// parse the request, call the backend and write the wire JSON; <see cref="ApiErrorMiddleware"/> turns
/// exceptions into <c>{"error": …}</c> bodies.
/// </summary>
internal static partial class ContreeApiEndpoints
{
    public static IEndpointRouteBuilder MapContreeApi(this IEndpointRouteBuilder app)
    {
        var v1 = app.MapGroup("/v1");
        v1.MapGet("/images", ListImagesAsync);
        v1.MapPost("/images/import", ImportImageAsync);
        v1.MapPatch("/images/{uuid}/tag", TagImageAsync);
        v1.MapDelete("/images/{uuid}/tag", UntagImageAsync);
        v1.MapGet("/inspect/", GetImageByTagAsync);
        v1.MapGet("/inspect/{uuid}/", GetImageAsync);
        v1.MapGet("/inspect/{uuid}/list", ListDirectoryAsync);
        v1.MapGet("/inspect/{uuid}/download", DownloadAsync);
        v1.MapMethods("/inspect/{uuid}/download", [HttpMethods.Head], FileExistsInImageAsync);
        v1.MapPost("/files", UploadFileAsync);
        v1.MapGet("/files", GetFileByHashAsync);
        v1.MapMethods("/files", [HttpMethods.Head], FileExistsAsync);
        v1.MapPost("/instances", SpawnInstanceAsync);
        v1.MapGet("/operations", ListOperationsAsync);
        v1.MapGet("/operations/{id}", GetOperationAsync);
        v1.MapDelete("/operations/{id}", CancelOperationAsync);
        v1.MapGet("/operations/{id}/stdout", context => ReadOutputAsync(context, OutputStream.Stdout));
        v1.MapGet("/operations/{id}/stderr", context => ReadOutputAsync(context, OutputStream.Stderr));
        app.MapFallback(context => ApiResponses.WriteErrorAsync(
            context, StatusCodes.Status404NotFound, $"no such endpoint: {context.Request.Method} {context.Request.Path}"));
        return app;
    }

    private static IContreeBackend Backend(HttpContext context) => context.RequestServices.GetRequiredService<IContreeBackend>();

    private static string Route(HttpContext context, string name) => context.Request.RouteValues[name] as string ?? "";

    // ---- images (E1–E6) -------------------------------------------------------------------------------------------

    private static async Task ListImagesAsync(HttpContext context)
    {
        var result = await Backend(context).ListImagesAsync(ApiQuery.Images(context.Request), context.RequestAborted);
        await ApiResponses.WriteJsonAsync(context, result, ContreeJsonContext.Default.ImageListResponse);
    }

    private static async Task ImportImageAsync(HttpContext context)
    {
        var request = await ApiResponses.ReadJsonAsync(context, ContreeJsonContext.Default.ImportImageMetadata);
        var id = await Backend(context).ImportImageAsync(request, context.RequestAborted);
        await ApiResponses.WriteAcceptedAsync(context, id);
    }

    private static async Task TagImageAsync(HttpContext context)
    {
        var body = await ApiResponses.ReadJsonAsync(context, ContreeJsonContext.Default.TagRequest);
        if (string.IsNullOrEmpty(body.Tag))
        {
            throw ContreeException.InvalidArgument("body field 'tag' must be a non-empty string");
        }

        var image = await Backend(context).TagImageAsync(Route(context, "uuid"), body.Tag, context.RequestAborted);
        await ApiResponses.WriteJsonAsync(context, image, ContreeJsonContext.Default.Image);
    }

    private static async Task UntagImageAsync(HttpContext context)
    {
        await Backend(context).UntagImageAsync(Route(context, "uuid"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }

    private static async Task GetImageByTagAsync(HttpContext context)
    {
        var image = await Backend(context).GetImageByTagAsync(ApiQuery.Required(context.Request, "tag"), context.RequestAborted);
        await ApiResponses.WriteJsonAsync(context, image, ContreeJsonContext.Default.Image);
    }

    private static async Task GetImageAsync(HttpContext context)
    {
        var image = await Backend(context).GetImageAsync(Route(context, "uuid"), context.RequestAborted);
        await ApiResponses.WriteJsonAsync(context, image, ContreeJsonContext.Default.Image);
    }
}
