using Microsoft.Extensions.Logging;

namespace Contree.Engine.Runtime.Network.Egress;

internal sealed partial class EgressGuard
{
    [LoggerMessage(EventId = 3020, Level = LogLevel.Information, Message = "Run {RunId}: allowed_hosts refused {What}")]
    private partial void LogRefused(string runId, string what);

    [LoggerMessage(EventId = 3021, Level = LogLevel.Debug, Message = "Run {RunId}: the DNS forwarder did not answer: {Reason}")]
    private partial void LogUpstreamFailed(string runId, string reason);

    [LoggerMessage(EventId = 3022, Level = LogLevel.Warning, Message = "Run {RunId}: an egress proxy connection failed")]
    private partial void LogConnectionFailed(Exception exception, string runId);
}
