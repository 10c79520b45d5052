using System.Text.Json.Serialization;

namespace Contree.Engine.Registry;

/// <summary>The <c>rootfs</c> object of an image configuration: digests of the uncompressed layer tars.</summary>
internal sealed record OciRootfs
{
    [JsonPropertyName("type")]
    public string? Type { get; init; }

    [JsonPropertyName("diff_ids")]
    public IReadOnlyList<string>? DiffIds { get; init; }
}
