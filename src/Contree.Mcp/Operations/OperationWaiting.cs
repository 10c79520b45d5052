using Contree.Core.Models;

namespace Contree.Mcp.Operations;

/// <summary>The wait=true path of run and import_image.</summary>
internal static class OperationWaiting
{
    /// <summary>
    /// Waits without a client-side limit; if the MCP request is cancelled meanwhile, the backend operation is
    /// cancelled too before the cancellation propagates.
    /// </summary>
    public static async Task<OperationResponse> WaitOrCancelAsync(OperationTracker tracker, string operationId, CancellationToken cancellationToken)
    {
        try
        {
            var response = await tracker.WaitAsync(operationId, Timeout.InfiniteTimeSpan, cancellationToken);
            return response ?? throw new InvalidOperationException($"wait for {operationId} ended without a result");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            await tracker.CancelQuietlyAsync(operationId);
            throw;
        }
    }
}
