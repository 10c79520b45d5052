using Microsoft.Extensions.Logging;

namespace Contree.Engine.Operations;

internal sealed partial class OperationQueue
{
    [LoggerMessage(EventId = 100, Level = LogLevel.Debug, Message = "Operation {OperationId} started")]
    private partial void LogStarted(string operationId);

    [LoggerMessage(EventId = 101, Level = LogLevel.Debug, Message = "Operation {OperationId} finished as {Status} in {Seconds:F3} s")]
    private partial void LogFinished(string operationId, Contree.Core.Models.OperationStatus status, double seconds);

    [LoggerMessage(EventId = 103, Level = LogLevel.Error, Message = "Could not record the end of operation {OperationId}")]
    private partial void LogRecordFailed(string operationId, Exception exception);
}
