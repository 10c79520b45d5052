using Contree.Core.Errors;
using Contree.Core.Json;
using Microsoft.AspNetCore.Http.Features;

namespace Contree.Server.ApiServer;

/// <summary>Inspect (E7–E10) and file (E11–E14) endpoints: listings, streamed downloads and uploads.</summary>
internal static partial class ContreeApiEndpoints
{
    private static async Task ListDirectoryAsync(HttpContext context)
    {
        var uuid = Route(context, "uuid");
        var path = ApiQuery.InspectPath(context.Request);
        if (context.Request.Query.ContainsKey("text"))
        {
            // E8: the ls -l-like text form is selected by the presence of "text", whatever its value.
            var text = await Backend(context).ListDirectoryTextAsync(uuid, path, context.RequestAborted);
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync(text, context.RequestAborted);
            return;
        }

        var list = await Backend(context).ListDirectoryAsync(uuid, path, context.RequestAborted);
        await ApiResponses.WriteJsonAsync(context, list, ContreeJsonContext.Default.DirectoryList);
    }

    private static async Task DownloadAsync(HttpContext context)
    {
        var path = ApiQuery.Required(context.Request, "path");
        await using var content = await Backend(context).DownloadFileAsync(Route(context, "uuid"), path, context.RequestAborted);
        context.Response.ContentType = "application/octet-stream";
        if (content.CanSeek)
        {
            context.Response.ContentLength = content.Length - content.Position;
        }

        // Streamed in 64 KiB chunks; nothing is buffered in memory.
        await content.CopyToAsync(context.Response.Body, 64 * 1024, context.RequestAborted);
    }

    private static async Task FileExistsInImageAsync(HttpContext context)
    {
        var exists = await Backend(context).FileExistsInImageAsync(Route(context, "uuid"), ApiQuery.Required(context.Request, "path"), context.RequestAborted);
        context.Response.StatusCode = exists ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
    }

    private static async Task UploadFileAsync(HttpContext context)
    {
        // Uploads are files of any size, streamed to the backend; Kestrel's 30 MB default would cut them.
        if (context.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = null;
        }

        var file = await Backend(context).UploadFileAsync(context.Request.Body, context.RequestAborted);
        await ApiResponses.WriteJsonAsync(context, file, ContreeJsonContext.Default.FileResponse);
    }

    private static async Task GetFileByHashAsync(HttpContext context)
    {
        var sha256 = ApiQuery.Required(context.Request, "sha256");
        var file = await Backend(context).GetFileByHashAsync(sha256, context.RequestAborted)
            ?? throw ContreeException.NotFound($"no file with sha256 {sha256}");
        await ApiResponses.WriteJsonAsync(context, file, ContreeJsonContext.Default.FileResponse);
    }

    private static async Task FileExistsAsync(HttpContext context)
    {
        bool exists;
        if (ApiQuery.Text(context.Request, "sha256") is { Length: > 0 } sha256)
        {
            exists = await Backend(context).FileExistsByHashAsync(sha256, context.RequestAborted);
        }
        else if (ApiQuery.Text(context.Request, "uuid") is { Length: > 0 } uuid)
        {
            exists = await Backend(context).FileExistsByUuidAsync(uuid, context.RequestAborted);
        }
        else
        {
            throw ContreeException.InvalidArgument("HEAD /files needs a 'sha256' or 'uuid' query parameter");
        }

        context.Response.StatusCode = exists ? StatusCodes.Status200OK : StatusCodes.Status404NotFound;
    }
}
