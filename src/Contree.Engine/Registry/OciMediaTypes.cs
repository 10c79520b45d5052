using Contree.Engine.Layers;

namespace Contree.Engine.Registry;

/// <summary>
/// Media types of the OCI image spec (media-types.md) and their Docker equivalents
/// (distribution manifest-v2-2.md), and what the importer does with each.
/// </summary>
internal static class OciMediaTypes
{
    public const string OciIndex = "application/vnd.oci.image.index.v1+json";
    public const string OciManifest = "application/vnd.oci.image.manifest.v1+json";
    public const string DockerManifestList = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
    public const string OciConfig = "application/vnd.oci.image.config.v1+json";
    public const string DockerConfig = "application/vnd.docker.container.image.v1+json";
    public const string OciLayer = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstd = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string DockerLayerGzip = "application/vnd.docker.image.rootfs.diff.tar.gzip";
    public const string DockerLayer = "application/vnd.docker.image.rootfs.diff.tar";

    /// <summary>
    /// The Accept list for every manifest request. Without it distribution answers 404 for OCI manifests and
    /// down-converts Docker ones to schema 1 (distribution-spec "Pulling manifests": the Accept header negotiates).
    /// </summary>
    public static readonly string[] ManifestAccept = [OciIndex, OciManifest, DockerManifestList, DockerManifest];

    public static bool IsIndex(string? mediaType) => mediaType is OciIndex or DockerManifestList;

    public static bool IsManifest(string? mediaType) => mediaType is OciManifest or DockerManifest;

    /// <summary>Non-distributable ("foreign") layers live outside the registry and are refused.</summary>
    public static bool IsForeign(string mediaType) =>
        mediaType.Contains(".foreign.", StringComparison.Ordinal) || mediaType.Contains(".nondistributable.", StringComparison.Ordinal);

    /// <summary>The compression of a layer media type, or null when the type is not a layer the importer can read.</summary>
    public static LayerCompression? LayerCompressionOf(string mediaType) => mediaType switch
    {
        OciLayer or DockerLayer => LayerCompression.None,
        OciLayerGzip or DockerLayerGzip => LayerCompression.Gzip,
        OciLayerZstd => LayerCompression.Zstd,
        _ => null,
    };
}
