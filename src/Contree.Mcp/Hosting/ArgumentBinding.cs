using System.Globalization;
using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Contree.Core.Errors;
using Contree.Mcp.Json;

namespace Contree.Mcp.Hosting;

/// <summary>
/// Checks a tool call's arguments against the tool method before the SDK binds them (after
/// <see cref="ArgumentCoercion"/>), so that every binding failure is an InvalidArgument error naming the argument and
/// the expected type. The SDK's binder would report .NET type names, and its ArgumentException could not be told apart
/// from one thrown deep inside a tool, which is an internal error.
/// </summary>
internal sealed class ArgumentBinding
{
    private const int MaxShownValue = 80;

    private readonly Dictionary<string, (Type Type, JsonTypeInfo Info)> _parameters = new(StringComparer.Ordinal);
    private readonly List<string> _required = [];
    private readonly JsonElement _properties;

    public ArgumentBinding(MethodInfo method, JsonElement inputSchema)
    {
        ArgumentNullException.ThrowIfNull(method);
        if (inputSchema.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (inputSchema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            _properties = properties.Clone();
            foreach (var parameter in method.GetParameters())
            {
                // Strings need no check (ArgumentCoercion has checked the JSON type), and long ones are not parsed twice.
                if (parameter.Name is { } name && parameter.ParameterType != typeof(string) && properties.TryGetProperty(name, out _))
                {
                    _parameters[name] = (parameter.ParameterType, McpJson.Options.GetTypeInfo(parameter.ParameterType));
                }
            }
        }

        if (inputSchema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            _required.AddRange(required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!));
        }
    }

    /// <summary>Throws an InvalidArgument <see cref="ContreeException"/> for a missing required argument or one the binder cannot convert.</summary>
    public void Validate(IDictionary<string, JsonElement>? arguments)
    {
        var missing = _required.Where(name => arguments is null || !arguments.ContainsKey(name)).ToList();
        if (missing.Count > 0)
        {
            var names = string.Join(" and ", missing.Select(n => $"'{n}'"));
            throw ContreeException.InvalidArgument(
                $"invalid arguments: {names} {(missing.Count == 1 ? "is" : "are")} required; the tool's input schema describes {(missing.Count == 1 ? "it" : "them")}");
        }

        foreach (var (name, value) in arguments ?? new Dictionary<string, JsonElement>())
        {
            if (!_parameters.TryGetValue(name, out var parameter))
            {
                continue;
            }

            try
            {
                JsonSerializer.Deserialize(value, parameter.Info);
            }
            catch (JsonException e)
            {
                throw ContreeException.InvalidArgument(Mismatch(name, parameter.Type, value, e.Path));
            }
        }
    }

    /// <summary><c>invalid arguments: 'env.A' must be a string (or null), got 1</c>, from the binder's JSON path.</summary>
    private string Mismatch(string name, Type type, JsonElement value, string? path)
    {
        var where = name;
        var schema = _properties.ValueKind == JsonValueKind.Object && _properties.TryGetProperty(name, out var s) ? s : default;
        foreach (var segment in Segments(path))
        {
            where += segment is int index ? $"[{index}]" : "." + segment;
            schema = SubSchema(schema, segment);
            value = SubValue(value, segment);
        }

        var types = ArgumentCoercion.TypesOf(schema);
        var expected = types.Count == 0 ? "of the type the tool's input schema gives" : ArgumentCoercion.Describe(types);
        if (where == name && (Nullable.GetUnderlyingType(type) ?? type) == typeof(int))
        {
            // A whole number that fits the schema's "integer" but not the parameter.
            expected = $"an integer from {int.MinValue} to {int.MaxValue}";
        }

        var shown = value.ValueKind == JsonValueKind.Undefined ? "" : value.GetRawText();
        shown = shown.Length > MaxShownValue ? shown[..MaxShownValue] + "…" : shown;
        return shown.Length == 0
            ? $"invalid arguments: '{where}' must be {expected}"
            : $"invalid arguments: '{where}' must be {expected}, got {shown}";
    }

    /// <summary>Property names (strings) and array indexes (ints) of a System.Text.Json path such as <c>$.a['b c'][2]</c>.</summary>
    private static List<object> Segments(string? path)
    {
        var segments = new List<object>();
        if (string.IsNullOrEmpty(path) || path[0] != '$')
        {
            return segments;
        }

        var i = 1;
        while (i < path.Length)
        {
            if (path[i] == '.')
            {
                var end = path.IndexOfAny(['.', '['], i + 1);
                end = end < 0 ? path.Length : end;
                segments.Add(path[(i + 1)..end]);
                i = end;
            }
            else if (path[i] == '[' && i + 1 < path.Length && path[i + 1] == '\'')
            {
                var end = path.IndexOf("']", i + 2, StringComparison.Ordinal);
                if (end < 0)
                {
                    break;
                }

                segments.Add(path[(i + 2)..end]);
                i = end + 2;
            }
            else if (path[i] == '[')
            {
                var end = path.IndexOf(']', i + 1);
                if (end < 0 || !int.TryParse(path.AsSpan(i + 1, end - i - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    break;
                }

                segments.Add(index);
                i = end + 1;
            }
            else
            {
                break;
            }
        }

        return segments;
    }

    private static JsonElement SubSchema(JsonElement schema, object segment)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return default;
        }

        if (segment is int)
        {
            return schema.TryGetProperty("items", out var items) ? items : default;
        }

        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            && properties.TryGetProperty((string)segment, out var property))
        {
            return property;
        }

        return schema.TryGetProperty("additionalProperties", out var additional) ? additional : default;
    }

    private static JsonElement SubValue(JsonElement value, object segment) => segment switch
    {
        int index when value.ValueKind == JsonValueKind.Array && index < value.GetArrayLength() => value[index],
        string name when value.ValueKind == JsonValueKind.Object && value.TryGetProperty(name, out var property) => property,
        _ => default,
    };
}
