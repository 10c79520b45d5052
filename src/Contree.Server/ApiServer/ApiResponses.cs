using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Server.ApiServer;

/// <summary>Writes Contree API bodies with the source-generated wire context (spec 1.4, snake_case).</summary>
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

    /// <summary>202 with <c>{"uuid": id}</c> and <c>Location: /v1/operations/&lt;id&gt;</c> (spec 1.5 E2, E15).</summary>
    public static Task WriteAcceptedAsync(HttpContext context, string operationId)
    {
        context.Response.Headers.Location = "/v1/operations/" + Uri.EscapeDataString(operationId);
        return WriteJsonAsync(context, new InstanceSpawnResponse { Uuid = operationId }, ContreeJsonContext.Default.InstanceSpawnResponse,
            StatusCodes.Status202Accepted);
    }

    /// <summary>Reads a JSON body; malformed JSON or missing required fields are InvalidArgument errors.</summary>
    public static async Task<T> ReadJsonAsync<T>(HttpContext context, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        try
        {
            return await JsonSerializer.DeserializeAsync(context.Request.Body, typeInfo, context.RequestAborted)
                ?? throw ContreeException.InvalidArgument("request body must be a JSON object, got null");
        }
        catch (JsonException e)
        {
            throw ContreeException.InvalidArgument("invalid JSON body: " + e.Message);
        }
    }
}
