using System.Text.Json.Serialization;

namespace Contree.Engine.Registry;

/// <summary>
/// An image manifest (image-spec manifest.md, Docker v2 schema 2) or an image index / manifest list
/// (image-index.md); which one is decided by the media type and by whether <see cref="Manifests"/> is present.
/// </summary>
internal sealed record OciManifestDocument
{
    [JsonPropertyName("schemaVersion")]
    public int SchemaVersion { get; init; }

    [JsonPropertyName("mediaType")]
    public string? MediaType { get; init; }

    [JsonPropertyName("config")]
    public OciDescriptor? Config { get; init; }

    [JsonPropertyName("layers")]
    public IReadOnlyList<OciDescriptor>? Layers { get; init; }

    [JsonPropertyName("manifests")]
    public IReadOnlyList<OciDescriptor>? Manifests { get; init; }
}
