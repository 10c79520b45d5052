using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Contree.Core.Json;

/// <summary>Reads an owner/group that may be a number or a name; writes digits back as a number.</summary>
public sealed class IntOrStringConverter : JsonConverter<string>
{
    public override string Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType switch
        {
            JsonTokenType.Number => reader.GetInt64().ToString(CultureInfo.InvariantCulture),
            JsonTokenType.String => reader.GetString() ?? "",
            JsonTokenType.Null => "",
            _ => throw new JsonException($"expected a number or a string, got {reader.TokenType}"),
        };

    public override void Write(Utf8JsonWriter writer, string value, JsonSerializerOptions options)
    {
        if (long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
        {
            writer.WriteNumberValue(number);
        }
        else
        {
            writer.WriteStringValue(value);
        }
    }
}
