using System.Text.Json;
using Contree.Core.Errors;

namespace Contree.Engine.Registry;

/// <summary>Bounded reading and parsing of manifests, indexes and configs.</summary>
internal static class ImageDocuments
{
    /// <summary>Reads at most <paramref name="maxBytes"/>; more is an InvalidArgument error naming <paramref name="what"/>.</summary>
    public static async Task<byte[]> ReadBoundedAsync(Stream stream, long maxBytes, string what, CancellationToken cancellationToken = default)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        while ((read = await stream.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > maxBytes)
            {
                throw ContreeException.InvalidArgument($"{what} is over the limit of {maxBytes} bytes");
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    /// <summary>
    /// Parses a manifest or index. The kind comes from the Content-Type when it names one, else from the body's
    /// mediaType, else from its shape. Schema 1 manifests are refused (deprecated, unsigned layers).
    /// </summary>
    public static (OciManifestDocument Document, bool IsIndex) ParseManifest(byte[] body, string? contentType, string what)
    {
        var document = Deserialize(body, what, static (b, o) => JsonSerializer.Deserialize(b, OciJsonContext.Default.OciManifestDocument));
        var mediaType = OciMediaTypes.IsIndex(contentType) || OciMediaTypes.IsManifest(contentType) ? contentType : document.MediaType;
        if (document.SchemaVersion == 1 || (contentType?.StartsWith("application/vnd.docker.distribution.manifest.v1", StringComparison.Ordinal) ?? false))
        {
            throw ContreeException.InvalidArgument($"{what} is a Docker schema 1 manifest, which is not supported; push the image again with a current client");
        }

        if (OciMediaTypes.IsIndex(mediaType) || (mediaType is null && document.Manifests is not null))
        {
            return (document, true);
        }

        if (OciMediaTypes.IsManifest(mediaType) || (mediaType is null && document.Config is not null && document.Layers is not null))
        {
            return (document, false);
        }

        throw ContreeException.InvalidArgument($"{what} has unsupported media type '{mediaType}'");
    }

    public static OciImageConfig ParseConfig(byte[] body, string source) =>
        Deserialize(body, $"image config of {source}", static (b, o) => JsonSerializer.Deserialize(b, OciJsonContext.Default.OciImageConfig));

    public static T Deserialize<T>(byte[] body, string what, Func<byte[], object?, T?> parse)
        where T : class
    {
        try
        {
            return parse(body, null) ?? throw ContreeException.InvalidArgument($"{what} is empty JSON (null)");
        }
        catch (JsonException ex)
        {
            throw ContreeException.InvalidArgument($"{what} is not valid: {ErrorCause.Json(ex)}", ex);
        }
    }
}
