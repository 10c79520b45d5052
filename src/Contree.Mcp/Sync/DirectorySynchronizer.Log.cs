using Microsoft.Extensions.Logging;

namespace Contree.Mcp.Sync;

internal sealed partial class DirectorySynchronizer
{
    private static partial class Log
    {
        [LoggerMessage(1, LogLevel.Information, "Synced {Source} to {Destination} as directory state {StateId}: {Files} files, {Uploaded} uploaded, {Reused} reused, {Unchanged} unchanged, {Removed} removed")]
        public static partial void Synced(ILogger logger, string source, string destination, long stateId, int files, int uploaded, int reused, int unchanged, int removed);
    }
}
