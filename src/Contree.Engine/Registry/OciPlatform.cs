using System.Text.Json.Serialization;

namespace Contree.Engine.Registry;

/// <summary>Platform of an index entry (image-spec image-index.md "platform").</summary>
internal sealed record OciPlatform
{
    [JsonPropertyName("os")]
    public string Os { get; init; } = "";

    [JsonPropertyName("architecture")]
    public string Architecture { get; init; } = "";

    [JsonPropertyName("variant")]
    public string? Variant { get; init; }

    public override string ToString() => Variant is { Length: > 0 } ? $"{Os}/{Architecture}/{Variant}" : $"{Os}/{Architecture}";
}
