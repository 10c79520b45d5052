using Microsoft.Extensions.Logging;

namespace Contree.Engine.Runtime;

internal sealed partial class BubblewrapRuntime
{
    [LoggerMessage(EventId = 3001, Level = LogLevel.Debug, Message = "Sandbox {RunId} started as pid {Pid}")]
    private partial void LogStarted(string runId, int pid);

    [LoggerMessage(EventId = 3002, Level = LogLevel.Information, Message = "Sandbox {RunId} timed out after {Seconds} s and was killed")]
    private partial void LogTimedOut(string runId, double seconds);

    [LoggerMessage(EventId = 3003, Level = LogLevel.Warning, Message = "Sandbox cleanup of {What} failed")]
    private partial void LogCleanupFailed(Exception exception, string what);

    [LoggerMessage(EventId = 3004, Level = LogLevel.Information, Message = "Stale sandbox state below {Root} removed: {Mounts} mounts, {Cgroups} cgroups, {Directories} run directories")]
    private partial void LogStaleCleaned(string root, int mounts, int cgroups, int directories);

    [LoggerMessage(EventId = 3005, Level = LogLevel.Information, Message = "Mount propagation of {Directory} made private so sandbox overlays stay out of other mount namespaces")]
    private partial void LogMadePrivate(string directory);

    [LoggerMessage(EventId = 3006, Level = LogLevel.Warning, Message = "Sandbox {RunId} launch chain (exit {ExitCode}) said: {Text}")]
    private partial void LogLaunchChainSaid(string runId, int exitCode, string text);
}
