using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Engine.Layers;
using Contree.Engine.Storage;
using Microsoft.Extensions.Logging;

namespace Contree.Engine.Registry;

/// <summary>
/// Imports images from registries (<c>docker://</c>), OCI layouts (<c>oci:</c>), <c>oci-archive:</c> and
/// <c>docker-archive:</c> files into the blob and layer stores (docs/import.md). Every blob is verified by digest;
/// each layer blob is extracted once and shared by every image that contains it.
/// </summary>
internal sealed partial class ImageImporter : IImageImporter
{
    /// <summary>Name of the HttpClient used for registries (configure proxies or handlers under this name).</summary>
    public const string HttpClientName = "contree-registry";

    private readonly IBlobStore _blobs;
    private readonly ILayerStore _layers;
    private readonly ImporterOptions _options;
    private readonly IHttpClientFactory _httpClientFactory;
    private readonly ILogger<ImageImporter> _logger;
    private readonly LayerLimits _limits;

    public ImageImporter(IBlobStore blobs, ILayerStore layers, ImporterOptions options, IHttpClientFactory httpClientFactory, ILogger<ImageImporter> logger)
    {
        _blobs = blobs;
        _layers = layers;
        _options = options;
        _httpClientFactory = httpClientFactory;
        _logger = logger;
        _limits = new LayerLimits(options.MaxEntries, options.MaxTotalBytes);
    }

    public async Task<ImportedImage> ImportAsync(ImportImageMetadata request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        cancellationToken.ThrowIfCancellationRequested();
        var source = ImageSource.Parse(request.Registry.Url);
        var selector = PlatformSelector.Create(_options.Platform);

        // The request's timeout bounds the whole import, downloads and extraction included.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        if (request.Timeout > 0)
        {
            timeout.CancelAfter(TimeSpan.FromSeconds(request.Timeout));
        }

        LogImportStarted(source.Canonical);
        try
        {
            var image = source.Kind switch
            {
                ImageSourceKind.Registry => await ImportFromRegistryAsync(source, request.Registry.Credentials, selector, timeout.Token),
                ImageSourceKind.DockerArchive => await ImportDockerArchiveAsync(source, timeout.Token),
                _ => await ImportOciLayoutAsync(source, selector, timeout.Token),
            };
            LogImportCompleted(image.Source, image.ManifestDigest, image.LayerIds.Count);
            return image;
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested && timeout.IsCancellationRequested)
        {
            throw ContreeException.Unavailable($"import of {source} timed out after {request.Timeout} s", ex);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ContreeException.Internal($"import of {source} failed: {ex.Message}", ex);
        }
    }

    /// <summary>
    /// Imports the layers of an image manifest, reads its config, and finally records config and manifest in the
    /// blob store. <paramref name="openBlob"/> opens a blob by descriptor; its content is verified on ingest.
    /// </summary>
    private async Task<ImportedImage> ImportManifestAsync(
        string source,
        OciManifestDocument manifest,
        string manifestDigest,
        byte[] manifestBody,
        Func<OciDescriptor, CancellationToken, Task<Stream>> openBlob,
        CancellationToken cancellationToken)
    {
        var configDescriptor = manifest.Config ?? throw ContreeException.InvalidArgument($"manifest {manifestDigest} of {source} has no config");
        if (configDescriptor.MediaType is not (OciMediaTypes.OciConfig or OciMediaTypes.DockerConfig))
        {
            throw ContreeException.InvalidArgument(
                $"{source} is not a container image: its config has media type '{configDescriptor.MediaType}'");
        }

        var configBody = await ReadDocumentAsync(configDescriptor, openBlob, "config", cancellationToken);
        var config = ImageDocuments.ParseConfig(configBody, source);

        var layerIds = new List<string>();
        foreach (var layer in manifest.Layers ?? [])
        {
            var id = await ImportLayerAsync(layer, openBlob, source, cancellationToken);
            AddTopmost(layerIds, id);
        }

        await StoreDocumentAsync(configBody, configDescriptor.Digest, cancellationToken);
        await StoreDocumentAsync(manifestBody, manifestDigest, cancellationToken);
        return new ImportedImage(layerIds, source, manifestDigest, config.Config?.Env ?? [], config.Config?.WorkingDir ?? "");
    }

    /// <summary>Overlay cannot stack a directory twice; a repeated layer keeps its topmost position.</summary>
    private static void AddTopmost(List<string> layerIds, string id)
    {
        layerIds.Remove(id);
        layerIds.Add(id);
    }

    private async Task<byte[]> ReadDocumentAsync(OciDescriptor descriptor, Func<OciDescriptor, CancellationToken, Task<Stream>> openBlob, string what, CancellationToken cancellationToken)
    {
        if (!OciDigest.IsSha256(descriptor.Digest))
        {
            throw ContreeException.InvalidArgument($"{what} digest '{descriptor.Digest}' is not sha256:<64 hex digits>");
        }

        if (descriptor.Size > _options.MaxDocumentBytes)
        {
            throw ContreeException.InvalidArgument($"{what} {descriptor.Digest} is {descriptor.Size} bytes, over the limit of {_options.MaxDocumentBytes} bytes");
        }

        await using var stream = await openBlob(descriptor, cancellationToken);
        var body = await ImageDocuments.ReadBoundedAsync(stream, _options.MaxDocumentBytes, $"{what} {descriptor.Digest}", cancellationToken);
        var actual = OciDigest.Of(body);
        if (actual != descriptor.Digest)
        {
            throw ContreeException.InvalidArgument($"{what} digest mismatch: expected {descriptor.Digest}, got {actual}");
        }

        return body;
    }

    private async Task StoreDocumentAsync(byte[] body, string digest, CancellationToken cancellationToken)
    {
        using var stream = new MemoryStream(body, writable: false);
        await _blobs.IngestAsync(stream, digest, _options.MaxDocumentBytes, cancellationToken);
    }
}
