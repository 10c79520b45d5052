using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace Contree.Tests.Common;

/// <summary>A blob of a test image (layer, config, manifest or index) with its media type.</summary>
public sealed record OciBlob(string MediaType, byte[] Data)
{
    public string Digest { get; } = "sha256:" + Convert.ToHexStringLower(SHA256.HashData(Data));

    public string Hex => Digest["sha256:".Length..];

    public long Size => Data.Length;

    /// <summary>The OCI descriptor (image-spec descriptor.md) of this blob.</summary>
    public JsonObject Descriptor() => new()
    {
        ["mediaType"] = MediaType,
        ["digest"] = Digest,
        ["size"] = Size,
    };
}
