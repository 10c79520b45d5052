using Contree.Server.Configuration;

namespace Contree.Server.Hosting;

/// <summary>
/// stdio mode: newline-delimited JSON-RPC on stdin/stdout, every log line on stderr. The host stops
/// when stdin closes (the SDK ends the session) or on Ctrl-C/SIGTERM.
/// </summary>
internal static class StdioTransportHost
{
    public static async Task<int> RunAsync(ServerSettings settings)
    {
        // DisableDefaults: no appsettings.json, no DOTNET_ variables and no console logger writing to stdout.
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true, Args = [] });
        ServerLogging.Configure(builder.Logging, settings.LogLevel);
        builder.Services.Configure<ConsoleLifetimeOptions>(o => o.SuppressStatusMessages = true);
        builder.Services.AddContreeMcpServer(settings).WithStdioServerTransport();
        using var host = builder.Build();
        var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ProductInfo.Name);
        ServerLog.StartingStdio(logger);
        ServerLog.UsingBackend(logger, settings.Backend);
        ServerLog.Notices(logger, settings);
        using var interrupt = InterruptLogging.Register(logger);
        await host.RunAsync();
        return 0;
    }
}
