using System.Globalization;
using Contree.Core.Models;

namespace Contree.Server.ApiServer;

/// <summary>
/// <c>GET /v1/operations/{id}/stdout|stderr?offset=&amp;length=</c>: bytes of what a finished instance kept of one
/// stream, streamed in pieces of at most <see cref="OutputRange.MaxLength"/> (docs/http.md). Not part of the Contree
/// API, which returns outputs whole in the operation.
/// </summary>
internal static partial class ContreeApiEndpoints
{
    public const string OutputSizeHeader = "X-Contree-Output-Size";
    public const string OutputTruncatedHeader = "X-Contree-Output-Truncated";

    private static async Task ReadOutputAsync(HttpContext context, OutputStream stream)
    {
        var id = Route(context, "id");
        var offset = ApiQuery.Long(context.Request, "offset", 0, 0, long.MaxValue);
        var length = ApiQuery.Long(context.Request, "length", long.MaxValue, 0, long.MaxValue);
        var backend = Backend(context);
        var first = await backend.ReadOperationOutputAsync(id, stream, offset, (int)Math.Min(length, OutputRange.MaxLength), context.RequestAborted);
        var count = Math.Min(length, Math.Max(0, first.TotalBytes - offset));
        context.Response.ContentType = "application/octet-stream";
        context.Response.ContentLength = count;
        context.Response.Headers[OutputSizeHeader] = first.TotalBytes.ToString(CultureInfo.InvariantCulture);
        context.Response.Headers[OutputTruncatedHeader] = first.Truncated ? "true" : "false";
        await context.Response.Body.WriteAsync(first.Data, context.RequestAborted);
        var written = (long)first.Data.Length;
        while (written < count)
        {
            var piece = await backend.ReadOperationOutputAsync(
                id, stream, offset + written, (int)Math.Min(count - written, OutputRange.MaxLength), context.RequestAborted);
            if (piece.Data.Length == 0)
            {
                // The output cannot shrink while it is read; stop rather than loop.
                break;
            }

            await context.Response.Body.WriteAsync(piece.Data, context.RequestAborted);
            written += piece.Data.Length;
        }
    }
}
