using Microsoft.Extensions.Logging;

namespace Contree.Engine.Storage;

internal sealed partial class OutputFiles
{
    [LoggerMessage(EventId = 260, Level = LogLevel.Information, Message = "Deleted {Count} output files older than {Days} days")]
    private partial void LogPruned(int count, int days);

    [LoggerMessage(EventId = 261, Level = LogLevel.Warning, Message = "Could not delete output file {Path}")]
    private partial void LogDeleteFailed(string path, Exception exception);
}
