using System.Text.Json.Serialization;

namespace Contree.Engine.Registry;

/// <summary>The <c>config</c> object of an image configuration: default environment and working directory.</summary>
internal sealed record OciRuntimeConfig
{
    [JsonPropertyName("Env")]
    public IReadOnlyList<string>? Env { get; init; }

    [JsonPropertyName("WorkingDir")]
    public string? WorkingDir { get; init; }
}
