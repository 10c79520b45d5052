using System.Net;
using Contree.Server.Configuration;
using Contree.Server.IndexPage;
using ModelContextProtocol.AspNetCore;

namespace Contree.Server.Hosting;

/// <summary>
/// HTTP mode (docs/http.md): Kestrel on listen:port, Streamable HTTP at <c>/mcp</c> with stateful
/// sessions, the index page at <c>GET /</c>, 404 elsewhere; Host/Origin checks on every request and an optional
/// bearer token on /mcp.
/// </summary>
internal static class HttpTransportHost
{
    public static async Task<int> RunAsync(ServerSettings settings)
    {
        await using var app = Build(settings);
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger(ProductInfo.Name);
        ServerLog.StartingHttp(logger, settings.Http.Listen, settings.Http.Port);
        ServerLog.UsingBackend(logger, settings.Backend);
        ServerLog.Notices(logger, settings);
        if (settings.Http.Token.Length == 0 && !SettingsLoader.IsLoopback(settings.Http.Listen))
        {
            ServerLog.UnauthenticatedNetwork(logger, settings.Http.Listen);
        }

        using var interrupt = InterruptLogging.Register(logger);

        await app.RunAsync();
        return 0;
    }

    public static WebApplication Build(ServerSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { Args = [] });
        ServerLogging.Configure(builder.Logging, settings.LogLevel);
        builder.WebHost.UseKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (settings.Http.Listen == "localhost")
            {
                kestrel.ListenLocalhost(settings.Http.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(settings.Http.Listen), settings.Http.Port);
            }
        });
        builder.Services.AddContreeMcpServer(settings).WithHttpTransport(o => o.SessionMode = HttpServerSessionMode.Stateful);
        builder.Services.AddSingleton<IndexPageSource>();
        var app = builder.Build();

        app.UseMiddleware<HostOriginMiddleware>(settings.Http.AllowedHosts);
        if (settings.Http.Token.Length > 0)
        {
            app.UseMiddleware<BearerTokenMiddleware>(
                settings.Http.Token,
                (Func<HttpContext, bool>)(context => context.Request.Path.StartsWithSegments("/mcp")),
                (Func<HttpContext, Task>)(context => context.Response.WriteAsync("Unauthorized: missing or invalid bearer token", context.RequestAborted)));
        }

        app.MapGet("/", async context =>
        {
            var html = await context.RequestServices.GetRequiredService<IndexPageSource>().RenderAsync(context.RequestAborted);
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(html, context.RequestAborted);
        });
        app.MapMcp("/mcp");
        app.MapFallback(context =>
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return context.Response.WriteAsync("Not Found", context.RequestAborted);
        });
        return app;
    }
}
