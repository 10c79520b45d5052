using Microsoft.Extensions.Logging;

namespace Contree.Mcp.Operations;

internal sealed partial class OperationTracker
{
    private static partial class Log
    {
        [LoggerMessage(Level = LogLevel.Information, Message = "Cancelling {Count} tracked operations")]
        public static partial void CancellingTracked(ILogger logger, int count);

        [LoggerMessage(Level = LogLevel.Information, Message = "Cancel requested for operation {OperationId}")]
        public static partial void Cancelled(ILogger logger, string operationId);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Operation {OperationId} was still {Status} {Seconds} s after its cancel was requested")]
        public static partial void NotStoppedYet(ILogger logger, string operationId, double seconds, string status);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Could not cancel operation {OperationId}: {Reason}")]
        public static partial void CancelFailed(ILogger logger, string operationId, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "Polling operation {OperationId} failed (attempt {Attempt}), retrying: {Reason}")]
        public static partial void TransientPollFailure(ILogger logger, string operationId, int attempt, string reason);

        [LoggerMessage(Level = LogLevel.Warning, Message = "General cache unavailable for operation {OperationId}: {Reason}")]
        public static partial void CacheFailed(ILogger logger, string operationId, string reason);
    }
}
