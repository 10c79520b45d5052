using Microsoft.Extensions.Logging;

namespace Contree.Engine;

internal sealed partial class LocalContreeBackend
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Information, Message = "Engine recovery: {Count} interrupted operations marked FAILED")]
    private partial void LogRecovered(int count);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "Engine recovery: {Live} operations already live; stale run directories were not swept")]
    private partial void LogRecoverySkippedSweep(int live);

    [LoggerMessage(EventId = 202, Level = LogLevel.Warning, Message = "Could not remove leftover {Path}")]
    private partial void LogSweepFailed(string path, Exception exception);

    [LoggerMessage(EventId = 203, Level = LogLevel.Information, Message = "Squashed {Depth} layers of image {ImageUuid} into layer {LayerId}")]
    private partial void LogSquashed(int depth, string imageUuid, string layerId);

    [LoggerMessage(EventId = 205, Level = LogLevel.Information, Message = "Engine recovery skipped: another engine process uses {DataDirectory}")]
    private partial void LogRecoverySkippedShared(string dataDirectory);

    [LoggerMessage(EventId = 206, Level = LogLevel.Warning, Message = "Operation {OperationId} had not stopped {Seconds} s after its cancel")]
    private partial void LogCancelNotStopped(string operationId, double seconds);

    [LoggerMessage(EventId = 204, Level = LogLevel.Information, Message = "Imported {Source} as image {ImageUuid} ({Layers} layers)")]
    private partial void LogImported(string source, string imageUuid, int layers);

    [LoggerMessage(EventId = 210, Level = LogLevel.Information, Message = "Engine recovery: {Count} layer directories without a record (a commit interrupted by a crash) deleted")]
    private partial void LogOrphanLayersDeleted(int count);

    [LoggerMessage(EventId = 209, Level = LogLevel.Error, Message = "Runs are refused: {Reason}")]
    private partial void LogSandboxIdsUnavailable(string reason);

    [LoggerMessage(EventId = 207, Level = LogLevel.Information, Message = "Moving the image files below {Layers} to the sandbox id range (once; an interrupted move resumes at the next start)")]
    private partial void LogIdMigrationStarted(string layers);

    [LoggerMessage(EventId = 208, Level = LogLevel.Information, Message = "Image files moved to the sandbox id range: {Entries} entries changed owner in {Seconds:0.0} s")]
    private partial void LogIdMigrationDone(int entries, double seconds);

    [LoggerMessage(EventId = 211, Level = LogLevel.Warning, Message = "Runs are refused: {Reason}")]
    private partial void LogRunsRefusedNotRoot(string reason);

    [LoggerMessage(EventId = 213, Level = LogLevel.Warning, Message = "Run {OperationId}: its filesystem changes could not be read")]
    private partial void LogChangesUnreadable(Exception exception, string operationId);
}
