using System.Text.Json.Serialization;

namespace Contree.Engine.Registry;

/// <summary>The parts of an image configuration (image-spec config.md) the engine uses.</summary>
internal sealed record OciImageConfig
{
    [JsonPropertyName("config")]
    public OciRuntimeConfig? Config { get; init; }

    [JsonPropertyName("rootfs")]
    public OciRootfs? Rootfs { get; init; }
}
