using System.Text.Json;
using System.Text.Json.Serialization;
using Contree.Core.Models;

namespace Contree.Core.Json;

/// <summary>
/// Chooses the metadata type by shape: <c>command</c> and <c>image</c> make instance metadata,
/// <c>registry</c> makes import metadata, anything else reads as null.
/// </summary>
public sealed class OperationMetadataConverter : JsonConverter<OperationMetadata>
{
    public override OperationMetadata? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        using var document = JsonDocument.ParseValue(ref reader);
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (root.TryGetProperty("command", out _) && root.TryGetProperty("image", out _))
        {
            return root.Deserialize(ContreeJsonContext.Default.InstanceMetadata);
        }

        return root.TryGetProperty("registry", out _) ? root.Deserialize(ContreeJsonContext.Default.ImportImageMetadata) : null;
    }

    public override void Write(Utf8JsonWriter writer, OperationMetadata value, JsonSerializerOptions options)
    {
        switch (value)
        {
            case InstanceMetadata instance:
                JsonSerializer.Serialize(writer, instance, ContreeJsonContext.Default.InstanceMetadata);
                break;
            case ImportImageMetadata import:
                JsonSerializer.Serialize(writer, import, ContreeJsonContext.Default.ImportImageMetadata);
                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }
}
