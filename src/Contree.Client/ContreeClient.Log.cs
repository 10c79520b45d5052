using Microsoft.Extensions.Logging;

namespace Contree.Client;

/// <summary>Source-generated log messages. Paths and queries carry ids, never the token or a request body.</summary>
internal sealed partial class ContreeClient
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Debug, "{Method} /{Path}")]
        public static partial void Sending(ILogger logger, string method, string path);

        [LoggerMessage(2, LogLevel.Debug, "{Method} /{Path} -> {StatusCode} in {ElapsedMs} ms")]
        public static partial void Received(ILogger logger, string method, string path, int statusCode, long elapsedMs);

        [LoggerMessage(3, LogLevel.Debug, "{Method} /{Path} failed after {ElapsedMs} ms: {Reason}")]
        public static partial void Failed(ILogger logger, string method, string path, long elapsedMs, string reason);

        [LoggerMessage(4, LogLevel.Information, "Retrying {Method} /{Path} in {DelayMs} ms (attempt {Attempt} of {MaxAttempts}) after: {Reason}")]
        public static partial void Retrying(ILogger logger, string method, string path, long delayMs, string reason, int attempt, int maxAttempts);

        [LoggerMessage(5, LogLevel.Debug, "{Method} /{Path} redirected to {Location}")]
        public static partial void Redirected(ILogger logger, string method, string path, string location);

        [LoggerMessage(6, LogLevel.Warning, "Operation {OperationId} had not stopped {Seconds} s after its cancel")]
        public static partial void CancelNotStopped(ILogger logger, string operationId, double seconds);

        [LoggerMessage(7, LogLevel.Warning, "Could not read operation {OperationId} after its cancel: {Reason}")]
        public static partial void CancelWaitFailed(ILogger logger, string operationId, string reason);

        [LoggerMessage(8, LogLevel.Information, "Operation {OperationId} had already finished ({Status}) when it was cancelled")]
        public static partial void CancelAlreadyFinished(ILogger logger, string operationId, string status);
    }
}
