using Microsoft.Extensions.Logging;

namespace Contree.Core.Errors;

public static partial class InternalError
{
    [LoggerMessage(EventId = 900, Message = "{Operation} failed ({Kind}): {Reason}")]
    private static partial void LogFailed(ILogger logger, LogLevel level, string operation, ContreeErrorKind kind, string reason, Exception? cause);

    [LoggerMessage(EventId = 901, Level = LogLevel.Error, Message = "Internal error {ErrorId} in {Operation}")]
    private static partial void LogInternal(ILogger logger, string errorId, string operation, Exception exception);
}
