using System.Text.Json;
using System.Text.Json.Serialization;
using Contree.Core.Models;

namespace Contree.Core.Json;

/// <summary>Operation status as upper-case text; read case-insensitively.</summary>
public sealed class OperationStatusConverter : JsonConverter<OperationStatus>
{
    public override OperationStatus Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return OperationEnums.TryParseStatus(text, out var status)
            ? status
            : throw new JsonException($"unknown operation status '{text}'");
    }

    public override void Write(Utf8JsonWriter writer, OperationStatus value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToWire());
}
