using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using ModelContextProtocol;

namespace Contree.Mcp.Json;

/// <summary>
/// Serializer options for tool arguments and results: snake_case property names and nulls omitted, on top of
/// the SDK defaults (which know the MCP protocol types).
/// </summary>
internal static class McpJson
{
    public static JsonSerializerOptions Options { get; } = Create(indented: false);

    /// <summary>2-space indented output for text blocks and JSON resources.</summary>
    public static JsonSerializerOptions Indented { get; } = Create(indented: true);

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Indented);

    private static JsonSerializerOptions Create(bool indented)
    {
        var options = new JsonSerializerOptions(McpJsonUtilities.DefaultOptions)
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DictionaryKeyPolicy = null,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            WriteIndented = indented,
            NumberHandling = JsonNumberHandling.Strict,
        };
        options.TypeInfoResolverChain.Insert(0, McpResultJsonContext.Default);
        options.TypeInfoResolverChain.Add(new DefaultJsonTypeInfoResolver());
        options.MakeReadOnly();
        return options;
    }
}
