using System.Globalization;
using System.Text.Json;
using Contree.Core.Errors;

namespace Contree.Mcp.Hosting;

/// <summary>
/// Lenient argument coercion (docs/tools.md): a JSON string is replaced by the number, boolean, array or object it spells
/// when the parameter's schema wants that type. What still does not fit the schema afterwards is rejected here with
/// an error that names the parameter and the expected type (agents copy ids like "ds_abc123" into integer arguments), rather
/// than by the binder, whose messages name .NET types.
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

        foreach (var (name, value) in arguments)
        {
            if (properties.TryGetProperty(name, out var schema) && TypesOf(schema) is { Count: > 0 } types && !Fits(value, types))
            {
                throw ContreeException.InvalidArgument(
                    $"invalid arguments: '{name}' must be {Describe(types)}, got {value.GetRawText()}");
            }
        }
    }

    private static bool Fits(JsonElement value, HashSet<string> types) => value.ValueKind switch
    {
        JsonValueKind.String => types.Contains("string"),
        JsonValueKind.Number => types.Contains("number") || (types.Contains("integer") && value.TryGetInt64(out _)),
        JsonValueKind.True or JsonValueKind.False => types.Contains("boolean"),
        JsonValueKind.Array => types.Contains("array"),
        JsonValueKind.Object => types.Contains("object"),
        JsonValueKind.Null => types.Contains("null"),
        _ => true,
    };

    internal static string Describe(HashSet<string> types)
    {
        var names = types.Where(t => t != "null").Select(t => t switch
        {
            "integer" => "an integer",
            "number" => "a number",
            "boolean" => "true or false",
            "array" => "a list",
            "object" => "an object",
            _ => "a " + t,
        }).Order(StringComparer.Ordinal).ToList();
        var text = names.Count == 0 ? "null" : string.Join(" or ", names);
        return types.Contains("null") && names.Count > 0 ? text + " (or null)" : text;
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

    internal static HashSet<string> TypesOf(JsonElement schema)
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
