using System.Buffers;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Server.ApiServer;

/// <summary>Writes Contree API bodies with the source-generated wire context (snake_case).</summary>
internal static class ApiResponses
{
    /// <summary>Characters that make System.Text.Json write a property name of a path in brackets.</summary>
    private static readonly SearchValues<char> PathSpecialCharacters = SearchValues.Create(".' /\"[]()\t\n\r\f\b\\\u0085\u2028\u2029");

    public static async Task WriteJsonAsync<T>(HttpContext context, T value, JsonTypeInfo<T> typeInfo, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(context.Response.Body, value, typeInfo, context.RequestAborted);
    }

    public static Task WriteErrorAsync(HttpContext context, int status, string message) =>
        WriteJsonAsync(context, new ErrorBody(message), ContreeJsonContext.Default.ErrorBody, status);

    /// <summary>202 with <c>{"uuid": id}</c> and <c>Location: /v1/operations/&lt;id&gt;</c> (E2, E15).</summary>
    public static Task WriteAcceptedAsync(HttpContext context, string operationId)
    {
        context.Response.Headers.Location = "/v1/operations/" + Uri.EscapeDataString(operationId);
        return WriteJsonAsync(context, new InstanceSpawnResponse { Uuid = operationId }, ContreeJsonContext.Default.InstanceSpawnResponse,
            StatusCodes.Status202Accepted);
    }

    /// <summary>
    /// Reads a JSON object body. Malformed JSON, another kind of value, a missing required field or a field of the wrong
    /// type are InvalidArgument errors that name the problem in wire terms (never a .NET type).
    /// </summary>
    public static async Task<T> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(context.Request.Body, default, context.RequestAborted);
        }
        catch (JsonException e)
        {
            throw ContreeException.InvalidArgument(
                $"the request body is not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine + 1}); send a JSON object");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                throw ContreeException.InvalidArgument($"the request body must be a JSON object, got {root.ValueKind.ToString().ToLowerInvariant()}");
            }

            if (FirstInvalidField(root, typeInfo, "") is { } invalid)
            {
                throw ContreeException.InvalidArgument($"body field '{invalid.Field}' {invalid.Problem}");
            }

            try
            {
                return root.Deserialize(typeInfo) ?? throw ContreeException.InvalidArgument("the request body must be a JSON object, got null");
            }
            catch (JsonException e)
            {
                var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : e.Path ?? "$";
                throw ContreeException.InvalidArgument($"body field '{field}' has a value of the wrong type or form; docs/http.md lists each endpoint's fields");
            }
        }
    }

    /// <summary>
    /// The first field (<c>registry.url</c>, <c>args[1]</c>, <c>files['/x'].uuid</c>) absent though required, or <c>null</c> though its type does not allow it, in
    /// <paramref name="element"/> or the objects, maps and arrays inside it. The deserializer would let such a null
    /// through into a non-nullable property (it enforces annotations only when asked, and never for collection
    /// elements), where the backend would fail on it as an internal error.
    /// </summary>
    private static (string Field, string Problem)? FirstInvalidField(JsonElement element, JsonTypeInfo typeInfo, string prefix)
    {
        switch (typeInfo.Kind)
        {
            case JsonTypeInfoKind.Object when element.ValueKind == JsonValueKind.Object:
                foreach (var property in typeInfo.Properties)
                {
                    var field = prefix + property.Name;
                    if (!element.TryGetProperty(property.Name, out var value))
                    {
                        if (property.IsRequired)
                        {
                            return (field, "is required");
                        }

                        continue;
                    }

                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        if (!property.IsSetNullable)
                        {
                            return (field, "must not be null");
                        }

                        continue;
                    }

                    if (FirstInvalidField(value, typeInfo.Options.GetTypeInfo(property.PropertyType), field + ".") is { } nested)
                    {
                        return nested;
                    }
                }

                break;

            case JsonTypeInfoKind.Dictionary when element.ValueKind == JsonValueKind.Object:
                foreach (var entry in element.EnumerateObject())
                {
                    if (ElementInvalid(entry.Value, typeInfo, MapEntry(prefix, entry.Name)) is { } invalid)
                    {
                        return invalid;
                    }
                }

                break;

            case JsonTypeInfoKind.Enumerable when element.ValueKind == JsonValueKind.Array:
                var index = 0;
                foreach (var item in element.EnumerateArray())
                {
                    if (ElementInvalid(item, typeInfo, $"{prefix.TrimEnd('.')}[{index++}]") is { } invalid)
                    {
                        return invalid;
                    }
                }

                break;
        }

        return null;
    }

    /// <summary>A map entry's path as System.Text.Json writes it: <c>env.A</c>, or <c>files['/x']</c> for a key with special characters.</summary>
    private static string MapEntry(string prefix, string key) =>
        key.AsSpan().IndexOfAny(PathSpecialCharacters) >= 0 ? $"{prefix.TrimEnd('.')}['{key}']" : prefix + key;

    /// <summary>
    /// An element of a map or array: null only for <see cref="Nullable{T}"/> elements (the metadata does not carry the
    /// annotation of a reference element type, and no wire model has a collection of nullable references).
    /// </summary>
    private static (string Field, string Problem)? ElementInvalid(JsonElement value, JsonTypeInfo collection, string field)
    {
        var elementType = collection.ElementType!;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return Nullable.GetUnderlyingType(elementType) is null ? (field, "must not be null") : null;
        }

        return FirstInvalidField(value, collection.Options.GetTypeInfo(elementType), field + ".");
    }
}
