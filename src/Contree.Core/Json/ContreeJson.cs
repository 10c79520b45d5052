using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Contree.Core.Models;

namespace Contree.Core.Json;

/// <summary>Entry points for reading and writing the Contree wire format.</summary>
public static class ContreeJson
{
    /// <summary>Compact wire options (source-generated).</summary>
    public static JsonSerializerOptions Options => ContreeJsonContext.Default.Options;

    /// <summary>Indented output for humans and agents.</summary>
    public static JsonSerializerOptions Indented { get; } = new(ContreeJsonContext.Default.Options) { WriteIndented = true };

    public static string Serialize<T>(T value, JsonTypeInfo<T> typeInfo) => JsonSerializer.Serialize(value, typeInfo);

    /// <summary>
    /// Parses GET /operations, which may be <c>{"operations": [...]}</c> or a bare array.
    /// </summary>
    public static OperationListResponse ParseOperationList(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json);
        if (reader.Read() && reader.TokenType == JsonTokenType.StartArray)
        {
            var list = JsonSerializer.Deserialize(utf8Json, ContreeJsonContext.Default.ListOperationSummary) ?? [];
            return new OperationListResponse { Operations = list };
        }

        return JsonSerializer.Deserialize(utf8Json, ContreeJsonContext.Default.OperationListResponse)
            ?? throw new JsonException("operation list is null");
    }
}
