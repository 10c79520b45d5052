using System.Text;
using System.Text.Json;
using Contree.Core;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Server.ApiServer;

/// <summary>
/// Writes <c>GET /v1/operations/{id}</c> with each instance output whole, as the Contree API does, without holding a
/// whole output in memory: the backend returns inline views (<see cref="StreamPayload.OmittedBytes"/>), so a view that
/// leaves bytes out is written from <see cref="IContreeBackend.ReadOperationOutputAsync"/> in 1 MiB pieces, straight
/// into the response. The JSON is the same as the wire model's: <c>{"value", "encoding", "truncated"}</c>.
/// </summary>
internal static class OperationJsonWriter
{
    /// <summary>A multiple of 3, so base64 pieces join without padding.</summary>
    private const int PieceBytes = 3 * 349_525;

    public static async Task WriteAsync(HttpContext context, IContreeBackend backend, OperationResponse operation)
    {
        var cancellationToken = context.RequestAborted;
        if (operation.Metadata is not InstanceMetadata { Result: { } result } instance
            || (result.Stdout.OmittedBytes == 0 && result.Stderr.OmittedBytes == 0))
        {
            await ApiResponses.WriteJsonAsync(context, operation, ContreeJsonContext.Default.OperationResponse);
            return;
        }

        // Serialize the small rest with a unique placeholder for each value, then write the outputs in its place.
        var token = Guid.NewGuid().ToString("N");
        var outputs = new Dictionary<string, (OutputStream Stream, StreamPayload Payload, bool Ascii)>(StringComparer.Ordinal);
        async Task<StreamPayload> PlaceholderAsync(OutputStream stream, StreamPayload payload)
        {
            if (payload.OmittedBytes == 0)
            {
                return payload;
            }

            var ascii = await IsAsciiAsync(backend, operation.Uuid, stream, payload.Size, cancellationToken);
            var placeholder = $"contree-output-{stream.ToWire()}-{token}";
            outputs[placeholder] = (stream, payload, ascii);
            return new StreamPayload { Value = placeholder, Encoding = ascii ? StreamPayload.Ascii : StreamPayload.Base64, Truncated = payload.Truncated };
        }

        var shell = operation with
        {
            Metadata = instance with
            {
                Result = result with
                {
                    Stdout = await PlaceholderAsync(OutputStream.Stdout, result.Stdout),
                    Stderr = await PlaceholderAsync(OutputStream.Stderr, result.Stderr),
                },
            },
        };
        var json = JsonSerializer.SerializeToUtf8Bytes(shell, ContreeJsonContext.Default.OperationResponse);
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = "application/json";
        var body = context.Response.Body;
        var rest = json.AsMemory();
        while (NextPlaceholder(rest.Span, outputs.Keys, out var at, out var placeholder))
        {
            await body.WriteAsync(rest[..at], cancellationToken);
            var (stream, payload, ascii) = outputs[placeholder];
            await WriteValueAsync(body, backend, operation.Uuid, stream, payload.Size, ascii, cancellationToken);
            rest = rest[(at + placeholder.Length)..];
        }

        await body.WriteAsync(rest, cancellationToken);
    }

    private static bool NextPlaceholder(ReadOnlySpan<byte> json, IEnumerable<string> placeholders, out int at, out string placeholder)
    {
        at = -1;
        placeholder = "";
        foreach (var candidate in placeholders)
        {
            var index = json.IndexOf(Encoding.ASCII.GetBytes(candidate));
            if (index >= 0 && (at < 0 || index < at))
            {
                at = index;
                placeholder = candidate;
            }
        }

        return at >= 0;
    }

    /// <summary>Whether every kept byte is ASCII, which decides the encoding before the first byte is written.</summary>
    private static async Task<bool> IsAsciiAsync(IContreeBackend backend, string operationId, OutputStream stream, long size, CancellationToken cancellationToken)
    {
        for (long offset = 0; offset < size; offset += PieceBytes)
        {
            var piece = await backend.ReadOperationOutputAsync(operationId, stream, offset, PieceBytes, cancellationToken);
            if (!Ascii.IsValid(piece.Data))
            {
                return false;
            }
        }

        return true;
    }

    private static async Task WriteValueAsync(
        Stream body, IContreeBackend backend, string operationId, OutputStream stream, long size, bool ascii, CancellationToken cancellationToken)
    {
        for (long offset = 0; offset < size; offset += PieceBytes)
        {
            var piece = await backend.ReadOperationOutputAsync(operationId, stream, offset, PieceBytes, cancellationToken);
            if (piece.Data.Length == 0)
            {
                break;
            }

            var text = ascii
                ? JsonEncodedText.Encode(piece.Data).EncodedUtf8Bytes.ToArray()
                : Encoding.ASCII.GetBytes(Convert.ToBase64String(piece.Data));
            await body.WriteAsync(text, cancellationToken);
        }
    }
}
