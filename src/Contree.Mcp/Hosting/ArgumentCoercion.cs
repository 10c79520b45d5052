using System.Globalization;
using System.Text.Json;

namespace Contree.Mcp.Hosting;

/// <summary>
/// Lenient argument coercion (spec 2.0): a JSON string is replaced by the number, boolean, array or object it spells
/// when the parameter's schema wants that type. Anything that does not parse is left alone for the binder to reject.
/// </summary>
internal static class ArgumentCoercion
{
    public static void Coerce(IDictionary<string, JsonElement> arguments, JsonElement inputSchema)
    {
        if (inputSchema.ValueKind != JsonValueKind.Object || !inputSchema.TryGetProperty("properties", out var properties)
            || properties.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var name in arguments.Keys.ToList())
        {
            var value = arguments[name];
            if (value.ValueKind != JsonValueKind.String || !properties.TryGetProperty(name, out var schema))
            {
                continue;
            }

            var types = TypesOf(schema);
            if (types.Contains("string"))
            {
                continue;
            }

            var text = value.GetString()!.Trim();
            if ((types.Contains("integer") || types.Contains("number")) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out _))
            {
                Replace(arguments, name, text);
            }
            else if (types.Contains("boolean") && bool.TryParse(text, out var flag))
            {
                Replace(arguments, name, flag ? "true" : "false");
            }
            else if ((types.Contains("array") && text.StartsWith('[')) || (types.Contains("object") && text.StartsWith('{')))
            {
                Replace(arguments, name, text);
            }
            else if (types.Contains("null") && text.Length == 0)
            {
                Replace(arguments, name, "null");
            }
        }
    }

    private static void Replace(IDictionary<string, JsonElement> arguments, string name, string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            arguments[name] = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            // Not valid JSON after all: leave the string for the binder to report.
        }
    }

    private static HashSet<string> TypesOf(JsonElement schema)
    {
        var types = new HashSet<string>(StringComparer.Ordinal);
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return types;
        }

        if (schema.TryGetProperty("type", out var type))
        {
            if (type.ValueKind == JsonValueKind.String)
            {
                types.Add(type.GetString()!);
            }
            else if (type.ValueKind == JsonValueKind.Array)
            {
                foreach (var item in type.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.String))
                {
                    types.Add(item.GetString()!);
                }
            }
        }

        foreach (var combinator in (string[])["anyOf", "oneOf"])
        {
            if (schema.TryGetProperty(combinator, out var options) && options.ValueKind == JsonValueKind.Array)
            {
                foreach (var option in options.EnumerateArray())
                {
                    types.UnionWith(TypesOf(option));
                }
            }
        }

        return types;
    }
}
