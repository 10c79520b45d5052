using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Server.ApiServer;

/// <summary>Writes Contree API bodies with the source-generated wire context (snake_case).</summary>
internal static class ApiResponses
{
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

            if (MissingRequired(root, typeInfo, "") is { } missing)
            {
                throw ContreeException.InvalidArgument($"body field '{missing}' is required");
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

    /// <summary>The first required field (dotted path) absent from <paramref name="element"/> or the objects inside it.</summary>
    private static string? MissingRequired(JsonElement element, JsonTypeInfo typeInfo, string prefix)
    {
        if (element.ValueKind != JsonValueKind.Object || typeInfo.Kind != JsonTypeInfoKind.Object)
        {
            return null;
        }

        foreach (var property in typeInfo.Properties)
        {
            if (!element.TryGetProperty(property.Name, out var value))
            {
                if (property.IsRequired)
                {
                    return prefix + property.Name;
                }

                continue;
            }

            if (MissingRequired(value, typeInfo.Options.GetTypeInfo(property.PropertyType), prefix + property.Name + ".") is { } nested)
            {
                return nested;
            }
        }

        return null;
    }
}
