using System.Text.Json;
using System.Text.Json.Serialization;
using Contree.Core.Models;

namespace Contree.Core.Json;

/// <summary>Operation kind as lower-case text; read case-insensitively (the API also sends "IMAGE_IMPORT").</summary>
public sealed class OperationKindConverter : JsonConverter<OperationKind>
{
    public override OperationKind Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var text = reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
        return OperationEnums.TryParseKind(text, out var kind)
            ? kind
            : throw new JsonException($"unknown operation kind '{text}'");
    }

    public override void Write(Utf8JsonWriter writer, OperationKind value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToWire());
}
