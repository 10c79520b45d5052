using Microsoft.Extensions.Logging;

namespace Contree.Engine.Registry;

internal sealed partial class ImageImporter
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Importing image {Source}")]
    private partial void LogImportStarted(string source);

    [LoggerMessage(Level = LogLevel.Information, Message = "Imported image {Source} ({ManifestDigest}) with {LayerCount} layers")]
    private partial void LogImportCompleted(string source, string manifestDigest, int layerCount);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Layer {Digest} already imported as {LayerId}")]
    private partial void LogLayerReused(string digest, string layerId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Extracted layer {Digest}: {Entries} entries, {Bytes} bytes, {Whiteouts} whiteouts, {Opaque} opaque directories, {Skipped} xattrs skipped")]
    private partial void LogLayerExtracted(string digest, long entries, long bytes, int whiteouts, int opaque, int skipped);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Selected {Platform} manifest {Digest} from index of {Source}")]
    private partial void LogPlatformSelected(PlatformSelector platform, string digest, string source);
}
