using System.Text.Json.Serialization;

namespace Contree.Engine.Registry;

/// <summary>One image in the <c>manifest.json</c> of a <c>docker save</c> archive (moby image/tarexport).</summary>
internal sealed record DockerArchiveEntry
{
    [JsonPropertyName("Config")]
    public string Config { get; init; } = "";

    [JsonPropertyName("RepoTags")]
    public IReadOnlyList<string>? RepoTags { get; init; }

    [JsonPropertyName("Layers")]
    public IReadOnlyList<string> Layers { get; init; } = [];
}
