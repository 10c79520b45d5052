namespace Contree.Tests.Common;

/// <summary>A single-platform test image: manifest, config and layers (bottom first).</summary>
public sealed record OciTestImage(OciBlob Manifest, OciBlob Config, IReadOnlyList<OciBlob> Layers)
{
    /// <summary>Every blob the manifest references: config first, then the layers.</summary>
    public IEnumerable<OciBlob> Blobs => [Config, .. Layers];
}
