using System.Text.Json.Serialization;

namespace Contree.Engine.Registry;

/// <summary>Answer of a token endpoint (distribution token auth spec, "Token Response Fields").</summary>
internal sealed record TokenResponse
{
    [JsonPropertyName("token")]
    public string? Token { get; init; }

    [JsonPropertyName("access_token")]
    public string? AccessToken { get; init; }
}
