using System.Buffers;
using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Client;

/// <summary>Images: list (E1), import (E2), tag and untag (E3, E4).</summary>
internal sealed partial class ContreeClient
{
    private static readonly MediaTypeHeaderValue JsonMediaType = new("application/json");

    public Task<ImageListResponse> ListImagesAsync(ImageListQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var text = PagedQuery(query.Limit, query.Offset);
        if (query.Tagged is { } tagged)
        {
            ApiPaths.Append(text, "tagged", tagged ? "1" : "0");
        }

        if (query.NormalizedTagPrefix is { } prefix)
        {
            ApiPaths.Append(text, "tag", prefix);
        }

        AppendIfGiven(text, "since", query.Since);
        AppendIfGiven(text, "until", query.Until);
        var request = ApiRequest.Get("images" + text);
        return SendAsync(request, (response, ct) => ReadJsonAsync(response, request, ContreeJsonContext.Default.ImageListResponse, ct), cancellationToken);
    }

    public async Task<string> ImportImageAsync(ImportImageMetadata request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrWhiteSpace(request.Registry?.Url))
        {
            throw ContreeException.InvalidArgument("Image import needs a registry URL, e.g. docker://docker.io/library/alpine:latest.");
        }

        // E2: the credentials object is always sent, filled only when both parts are given.
        var credentials = request.Registry.Credentials ?? new ImageCredentials();
        var body = request with
        {
            Registry = request.Registry with { Credentials = credentials.IsAnonymous ? new ImageCredentials() : credentials },
        };
        var apiRequest = new ApiRequest(HttpMethod.Post, "images/import", Retryable: false)
        {
            Content = () => JsonContent(ImportBody(body)),
        };
        return await SendAsync(apiRequest, (response, ct) => ReadOperationIdAsync(response, apiRequest, "import request", ct), cancellationToken);
    }

    public Task<Image> TagImageAsync(string imageUuid, string tag, CancellationToken cancellationToken = default)
    {
        var id = ApiPaths.Id(imageUuid, "image UUID");
        if (string.IsNullOrWhiteSpace(tag))
        {
            throw ContreeException.InvalidArgument("Tag must not be empty; to remove a tag, untag the image instead.");
        }

        // Setting the same tag twice has the same effect as once, so this PATCH may be retried.
        var request = new ApiRequest(HttpMethod.Patch, $"images/{Uri.EscapeDataString(id)}/tag", Retryable: true)
        {
            Content = () => JsonContent(JsonSerializer.SerializeToUtf8Bytes(new TagRequest(tag), ContreeJsonContext.Default.TagRequest)),
        };
        return SendAsync(request, (response, ct) => ReadJsonAsync(response, request, ContreeJsonContext.Default.Image, ct), cancellationToken);
    }

    public Task UntagImageAsync(string imageUuid, CancellationToken cancellationToken = default)
    {
        var id = ApiPaths.Id(imageUuid, "image UUID");
        return SendAsync(ApiRequest.Delete($"images/{Uri.EscapeDataString(id)}/tag"), DrainAsync, cancellationToken);
    }

    /// <summary>
    /// The E2 body in exactly the API's shape. Written field by field because serializing the Core model would
    /// also emit its computed members (ImageCredentials.IsAnonymous as "is_anonymous").
    /// </summary>
    private static byte[] ImportBody(ImportImageMetadata request)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteStartObject("registry");
            writer.WriteString("url", request.Registry.Url);
            writer.WriteStartObject("credentials");
            writer.WriteString("username", request.Registry.Credentials.Username);
            writer.WriteString("password", request.Registry.Credentials.Password);
            writer.WriteEndObject();
            writer.WriteEndObject();
            if (request.Tag is not null)
            {
                writer.WriteString("tag", request.Tag);
            }

            writer.WriteNumber("timeout", request.Timeout);
            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }

    private static ByteArrayContent JsonContent(byte[] utf8Json)
    {
        var content = new ByteArrayContent(utf8Json);
        content.Headers.ContentType = JsonMediaType;
        return content;
    }

    /// <summary>"?limit=…&amp;offset=…": always sent by E1 and E16.</summary>
    private static StringBuilder PagedQuery(int limit, int offset)
    {
        if (limit < 0)
        {
            throw ContreeException.InvalidArgument($"limit must not be negative, got {limit}.");
        }

        if (offset < 0)
        {
            throw ContreeException.InvalidArgument($"offset must not be negative, got {offset}.");
        }

        var text = new StringBuilder();
        ApiPaths.Append(text, "limit", limit.ToString(CultureInfo.InvariantCulture));
        ApiPaths.Append(text, "offset", offset.ToString(CultureInfo.InvariantCulture));
        return text;
    }

    private static void AppendIfGiven(StringBuilder query, string name, string? value)
    {
        if (!string.IsNullOrEmpty(value))
        {
            ApiPaths.Append(query, name, value);
        }
    }

    /// <summary>
    /// The operation id of E2/E15: body <c>uuid</c>, else the text after the last '/' of the Location header
    /// (also when the body has no <c>uuid</c> or there is no body at all).
    /// </summary>
    private async Task<string> ReadOperationIdAsync(HttpResponseMessage response, ApiRequest request, string what, CancellationToken cancellationToken)
    {
        var body = await ReadBodyAsync(response, request, cancellationToken);
        var id = "";
        if (!IsBlank(body.Span))
        {
            id = ParseJson(body.Span, request, ContreeJsonContext.Default.InstanceSpawnResponse).Uuid ?? "";
        }

        if (id.Length == 0 && response.Headers.Location is { } location)
        {
            var text = location.OriginalString.Split('?', '#')[0].TrimEnd('/');
            id = text[(text.LastIndexOf('/') + 1)..];
        }

        return id.Length > 0 ? id : throw ContreeException.Internal($"No operation ID returned from {what}");
    }

    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        foreach (var b in body)
        {
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\r' or (byte)'\n'))
            {
                return false;
            }
        }

        return true;
    }
}
