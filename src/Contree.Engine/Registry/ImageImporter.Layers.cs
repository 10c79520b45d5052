using Contree.Core.Errors;
using Contree.Engine.Layers;
using ZstdSharp;

namespace Contree.Engine.Registry;

internal sealed partial class ImageImporter
{
    /// <summary>
    /// Makes sure the layer blob is in the blob store (verified against its digest) and extracted once: a layer
    /// already built from this digest is reused without downloading anything.
    /// </summary>
    private async Task<string> ImportLayerAsync(OciDescriptor layer, Func<OciDescriptor, CancellationToken, Task<Stream>> openBlob, string source, CancellationToken cancellationToken)
    {
        if (!OciDigest.IsSha256(layer.Digest))
        {
            throw ContreeException.InvalidArgument($"layer digest '{layer.Digest}' of {source} is not sha256:<64 hex digits>");
        }

        if (OciMediaTypes.IsForeign(layer.MediaType) || layer.Urls is { Count: > 0 })
        {
            throw ContreeException.InvalidArgument(
                $"layer {layer.Digest} of {source} is non-distributable (foreign, media type '{layer.MediaType}'): its content is not in the registry, so it cannot be imported");
        }

        var compression = OciMediaTypes.LayerCompressionOf(layer.MediaType)
            ?? throw ContreeException.InvalidArgument($"layer {layer.Digest} of {source} has unsupported media type '{layer.MediaType}'");
        if (layer.Size > _options.MaxLayerBytes)
        {
            throw ContreeException.InvalidArgument($"layer {layer.Digest} of {source} exceeds the limit of {_options.MaxLayerBytes} bytes ({layer.Size} bytes)");
        }

        if (_layers.FindBySource(layer.Digest) is { } existing)
        {
            LogLayerReused(layer.Digest, existing);
            return existing;
        }

        if (_blobs.TryGetPath(layer.Digest) is null)
        {
            await using var content = await openBlob(layer, cancellationToken);
            await _blobs.IngestAsync(content, layer.Digest, _options.MaxLayerBytes, cancellationToken);
        }

        return await ExtractLayerAsync(layer.Digest, compression, cancellationToken);
    }

    /// <summary>Extracts a stored layer blob into a staging directory that the layer store commits or discards.</summary>
    private async Task<string> ExtractLayerAsync(string digest, LayerCompression compression, CancellationToken cancellationToken)
    {
        if (_layers.FindBySource(digest) is { } existing)
        {
            LogLayerReused(digest, existing);
            return existing;
        }

        return await _layers.CreateAsync(digest, async (staging, token) =>
        {
            Directory.CreateDirectory(staging);
            var path = _blobs.TryGetPath(digest) ?? throw ContreeException.Internal($"layer blob {digest} vanished from the blob store");
            await using var blob = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 81920, FileOptions.Asynchronous | FileOptions.SequentialScan);
            await using var tar = LayerDecompressor.Open(blob, compression);
            try
            {
                var stats = await LayerExtractor.ExtractAsync(tar, staging, _limits, token);
                LogLayerExtracted(digest, stats.Entries, stats.FileBytes, stats.Whiteouts, stats.OpaqueDirectories, stats.SkippedAttributes);
            }
            catch (Exception ex) when (ex is InvalidDataException or ZstdException)
            {
                throw ContreeException.InvalidArgument($"layer {digest} is not a valid {compression.ToString().ToLowerInvariant()} stream: the data is corrupt or truncated", ex);
            }
            catch (ContreeException ex) when (ex.Kind == ContreeErrorKind.InvalidArgument)
            {
                throw ContreeException.InvalidArgument($"layer {digest}: {ex.Message}", ex.InnerException);
            }
        }, cancellationToken);
    }
}
