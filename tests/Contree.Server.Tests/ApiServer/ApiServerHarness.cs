using Contree.Core;
using Contree.Server.ApiServer;
using Contree.Server.Configuration;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Contree.Server.Tests.ApiServer;

/// <summary>The real API server on Kestrel (127.0.0.1, a free port) over a given backend, with an HttpClient aimed at it.</summary>
internal sealed class ApiServerHarness : IAsyncDisposable
{
    private readonly WebApplication _app;

    private ApiServerHarness(WebApplication app, Uri baseAddress)
    {
        _app = app;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public HttpClient Client { get; }

    /// <param name="logs">Receives the server's log (warnings and errors) when given.</param>
    /// <param name="requireProject">The api command's --require-project; empty for none.</param>
    public static async Task<ApiServerHarness> StartAsync(IContreeBackend backend, string token = "", ILoggerProvider? logs = null, string requireProject = "")
    {
        var app = ContreeApiServer.Build(
            new ApiSettings { Listen = "127.0.0.1", Port = 0, Token = token, RequireProject = requireProject },
            LogLevel.Warning,
            services =>
            {
                services.AddSingleton(backend);
                if (logs is not null)
                {
                    services.AddSingleton(logs);
                }
            });
        await app.StartAsync(TestContext.Current.CancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        return new ApiServerHarness(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _app.StopAsync(TestContext.Current.CancellationToken);
        await _app.DisposeAsync();
    }
}
