using Contree.Server.ApiServer;
using Contree.Server.Configuration;

namespace Contree.Server.Hosting;

/// <summary><c>contree-mcp api</c>: the configured backend (normally the local engine) over the Contree /v1 API.</summary>
internal static class ApiCommand
{
    public static async Task<int> RunAsync(ServerSettings settings)
    {
        await using var app = ContreeApiServer.Build(settings.Api, settings.LogLevel, services => services.AddBackend(settings));
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ProductInfo.Name);
        ServerLog.StartingApi(logger, settings.Api.Listen, settings.Api.Port, settings.Backend);
        ServerLog.Notices(logger, settings);
        using var interrupt = InterruptLogging.Register(logger);
        await app.RunAsync();
        return 0;
    }
}
