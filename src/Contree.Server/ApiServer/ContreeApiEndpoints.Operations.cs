using Contree.Core.Json;

namespace Contree.Server.ApiServer;

/// <summary>Instance and operation endpoints (E15–E18).</summary>
internal static partial class ContreeApiEndpoints
{
    private static async Task SpawnInstanceAsync(HttpContext context)
    {
        var request = await ApiResponses.ReadJsonAsync(context, ContreeJsonContext.Default.InstanceMetadata);
        var id = await Backend(context).SpawnInstanceAsync(request, context.RequestAborted);
        await ApiResponses.WriteAcceptedAsync(context, id);
    }

    private static async Task ListOperationsAsync(HttpContext context)
    {
        var list = await Backend(context).ListOperationsAsync(ApiQuery.Operations(context.Request), context.RequestAborted);
        await ApiResponses.WriteJsonAsync(context, list, ContreeJsonContext.Default.OperationListResponse);
    }

    private static async Task GetOperationAsync(HttpContext context)
    {
        var operation = await Backend(context).GetOperationAsync(Route(context, "id"), context.RequestAborted);
        await OperationJsonWriter.WriteAsync(context, Backend(context), operation);
    }

    private static async Task CancelOperationAsync(HttpContext context)
    {
        await Backend(context).CancelOperationAsync(Route(context, "id"), context.RequestAborted);
        context.Response.StatusCode = StatusCodes.Status204NoContent;
    }
}
