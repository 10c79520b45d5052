
namespace Contree.Server.Hosting;

/// <summary>Log messages of the executable's hosting code.</summary>
internal static partial class ServerLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Starting MCP server on http://{Listen}:{Port}")]
    public static partial void StartingHttp(ILogger logger, string listen, int port);

    [LoggerMessage(Level = LogLevel.Information, Message = "Starting MCP server in stdio mode")]
    public static partial void StartingStdio(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Serving the Contree API on http://{Listen}:{Port} ({Backend} backend)")]
    public static partial void StartingApi(ILogger logger, string listen, int port, Configuration.BackendKind backend);

    [LoggerMessage(Level = LogLevel.Information, Message = "Using the {Backend} backend")]
    public static partial void UsingBackend(ILogger logger, Configuration.BackendKind backend);

    [LoggerMessage(Level = LogLevel.Information, Message = "Gracefully exited on keyboard interrupt")]
    public static partial void KeyboardInterrupt(ILogger logger);

    [LoggerMessage(Level = LogLevel.Warning, Message = "HTTP transport listens on {Listen} without --http-token: anyone who can reach it can run commands")]
    public static partial void UnauthenticatedNetwork(ILogger logger, string listen);

    [LoggerMessage(EventId = 212, Message = "{Message}")]
    public static partial void SettingsNotice(ILogger logger, LogLevel level, string message);

    /// <summary>What loading the settings found (credential sources, unsafe file modes), once a logger exists.</summary>
    public static void Notices(ILogger logger, Configuration.ServerSettings settings)
    {
        foreach (var notice in settings.Notices)
        {
            SettingsNotice(logger, notice.Level, notice.Message);
        }
    }
}
