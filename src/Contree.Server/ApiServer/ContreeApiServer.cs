using System.Net;
using Contree.Server.Configuration;
using Contree.Server.Hosting;

namespace Contree.Server.ApiServer;

/// <summary>
/// Builds the web application of the <c>api</c> command: Kestrel on <see cref="ApiSettings.Listen"/>:<see cref="ApiSettings.Port"/>
/// serving <see cref="ContreeApiEndpoints"/> over whichever <see cref="Core.IContreeBackend"/> the caller registers.
/// Tests use port 0 and read the bound address back.
/// </summary>
internal static class ContreeApiServer
{
    public static WebApplication Build(ApiSettings settings, LogLevel logLevel, Action<IServiceCollection> registerBackend)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ServerLogging.Configure(builder.Logging, logLevel);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (settings.Listen == "localhost")
            {
                kestrel.ListenLocalhost(settings.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(settings.Listen), settings.Port);
            }
        });
        registerBackend(builder.Services);
        var app = builder.Build();
        app.UseMiddleware<ApiErrorMiddleware>();
        if (settings.Token.Length > 0)
        {
            app.UseMiddleware<BearerTokenMiddleware>(
                settings.Token,
                (Func<HttpContext, bool>)(_ => true),
                (Func<HttpContext, Task>)(context => ApiResponses.WriteErrorAsync(context, StatusCodes.Status401Unauthorized, "missing or invalid bearer token")));
        }

        if (settings.RequireProject.Length > 0)
        {
            app.UseMiddleware<ProjectHeaderMiddleware>(settings.RequireProject);
        }

        app.MapContreeApi();
        return app;
    }
}
