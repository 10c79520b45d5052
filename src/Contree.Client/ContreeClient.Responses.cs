using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Contree.Core.Errors;

namespace Contree.Client;

/// <summary>Reading response bodies: size-capped JSON and text, and the error message of a failed call.</summary>
internal sealed partial class ContreeClient
{
    /// <summary>Error bodies are read up to this size; the message keeps at most <see cref="MaxErrorMessageChars"/>.</summary>
    private const int MaxErrorBodyBytes = 64 * 1024;

    private const int MaxErrorMessageChars = 4096;

    /// <summary>Reads and deserializes a JSON body with the source-generated contract.</summary>
    private async Task<T> ReadJsonAsync<T>(HttpResponseMessage response, ApiRequest request, JsonTypeInfo<T> typeInfo, CancellationToken cancellationToken, long? limit = null)
        where T : class
    {
        var body = await ReadBodyAsync(response, request, cancellationToken, limit);
        return ParseJson(body.Span, request, typeInfo);
    }

    private static T ParseJson<T>(ReadOnlySpan<byte> body, ApiRequest request, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return JsonSerializer.Deserialize(body, typeInfo) ?? throw new JsonException("the body is the JSON literal null");
        }
        catch (JsonException ex)
        {
            throw InvalidJson(request, ex);
        }
    }

    private static ContreeException InvalidJson(ApiRequest request, JsonException ex) =>
        ContreeException.Internal($"invalid JSON in response to {request.Display}: {ex.Message}", ex);

    /// <summary>Reads a text body (E8) under the same size cap as JSON.</summary>
    private async Task<string> ReadTextAsync(HttpResponseMessage response, ApiRequest request, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(response, request, cancellationToken);
        return Encoding.UTF8.GetString(body.Span);
    }

    /// <summary>
    /// Reads the whole body, refusing more than MaxJsonResponseBytes whether or not a Content-Length was sent:
    /// a declared length over the cap fails before reading, an undeclared one as soon as the cap is crossed.
    /// </summary>
    private async Task<ReadOnlyMemory<byte>> ReadBodyAsync(HttpResponseMessage response, ApiRequest request, CancellationToken cancellationToken, long? limit = null)
    {
        var maxBytes = Math.Max(_maxJsonBytes, limit ?? 0);
        var declared = response.Content.Headers.ContentLength;
        if (declared > maxBytes)
        {
            throw TooLarge(request, declared.Value, maxBytes);
        }

        var buffer = new byte[(int)Math.Clamp(declared ?? 16 * 1024, 1, maxBytes)];
        var length = 0;
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        while (true)
        {
            if (length == buffer.Length)
            {
                if (length >= maxBytes)
                {
                    // Full at the cap: one more byte means the body is too large.
                    var probe = new byte[1];
                    if (await stream.ReadAsync(probe, cancellationToken) > 0)
                    {
                        throw TooLarge(request, null, maxBytes);
                    }

                    break;
                }

                Array.Resize(ref buffer, (int)Math.Min((long)buffer.Length * 2, maxBytes));
            }

            var read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken);
            if (read == 0)
            {
                break;
            }

            length += read;
        }

        return buffer.AsMemory(0, length);
    }

    private static ContreeException TooLarge(ApiRequest request, long? declared, long maxBytes) => ContreeException.Internal(declared is { } size
        ? $"Response too large: {request.Display} returned {size} bytes, more than the limit of {maxBytes} bytes (ContreeClientOptions.MaxJsonResponseBytes)."
        : $"Response too large: {request.Display} returned more than the limit of {maxBytes} bytes (ContreeClientOptions.MaxJsonResponseBytes).");

    /// <summary>
    /// The message of a failed call: the <c>error</c> string of a JSON object body, else the
    /// body text trimmed and cut at 4 KiB, else "HTTP &lt;code&gt; &lt;reason&gt; from &lt;METHOD&gt; &lt;path&gt;".
    /// </summary>
    private async Task<string> ReadErrorMessageAsync(HttpResponseMessage response, ApiRequest request, CancellationToken cancellationToken)
    {
        var fallback = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase} from {request.Display}".Replace("  ", " ", StringComparison.Ordinal);
        string text;
        try
        {
            var buffer = new byte[MaxErrorBodyBytes];
            var length = 0;
            await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while (length < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }

            if (TryGetJsonError(buffer.AsSpan(0, length)) is { } error)
            {
                return Scrub(error.Trim().Length > 0 ? error : fallback);
            }

            text = Encoding.UTF8.GetString(buffer, 0, length).Trim();
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            // The status already says what happened; a body that cannot be read adds nothing.
            return fallback;
        }

        if (text.Length == 0)
        {
            return fallback;
        }

        return Scrub(text.Length > MaxErrorMessageChars ? text[..MaxErrorMessageChars] + "…" : text);
    }

    private static string? TryGetJsonError(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            return document.RootElement.ValueKind == JsonValueKind.Object
                && document.RootElement.TryGetProperty("error", out var error)
                && error.ValueKind == JsonValueKind.String
                    ? error.GetString()
                    : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>A backend that echoes the request's credentials must not make the token visible to the agent.</summary>
    private string Scrub(string message) =>
        _token.Length == 0 ? message : message.Replace(_token, "***", StringComparison.Ordinal);

    /// <summary>Reads and discards a body whose content does not matter (E4, E18), so the connection can be reused.</summary>
    private static async Task<bool> DrainAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        await stream.CopyToAsync(Stream.Null, cancellationToken);
        return true;
    }
}
