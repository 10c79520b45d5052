
namespace Contree.Server.Hosting;

/// <summary>Logging setup shared by every mode: only <see cref="StderrLoggerProvider"/>, at the configured level.</summary>
internal static class ServerLogging
{
    public static void Configure(ILoggingBuilder logging, LogLevel level)
    {
        logging.ClearProviders();
        logging.AddProvider(new StderrLoggerProvider(Console.Error));
        logging.SetMinimumLevel(level);

        // The framework's own info chatter (lifetime, request logs) is only useful when debugging.
        var framework = level <= LogLevel.Debug ? level : (LogLevel)Math.Max((int)level, (int)LogLevel.Warning);
        logging.AddFilter("Microsoft", framework);
        logging.AddFilter("System", framework);
        logging.AddFilter("ModelContextProtocol", framework);
    }
}
