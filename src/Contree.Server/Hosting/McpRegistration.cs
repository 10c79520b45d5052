using Contree.Mcp;
using Contree.Mcp.Guides;
using Contree.Server.Configuration;

namespace Contree.Server.Hosting;

/// <summary>Registers the backend, the Contree MCP services and the MCP server with its primitives (transport excluded).</summary>
internal static class McpRegistration
{
    public static IMcpServerBuilder AddContreeMcpServer(this IServiceCollection services, ServerSettings settings)
    {
        services.AddSingleton(settings);
        services.AddBackend(settings);
        var flavor = settings.Flavor();
        services.AddContreeMcp(options =>
        {
            options.ToolPrefix = settings.ToolPrefix;
            options.Flavor = flavor;
            options.FileCachePath = settings.Cache.FilesPath;
            options.GeneralCachePath = settings.Cache.GeneralPath;
            options.RegistryCredentialsPath = settings.Cache.RegistryCredentialsPath;
            options.CachePruneDays = settings.Cache.PruneDays;
            options.ServerVersion = ProductInfo.Version;
            foreach (var registry in settings.Engine.InsecureRegistries)
            {
                options.InsecureRegistries.Add(registry);
            }
        });
        return services
            .AddMcpServer(options =>
            {
                options.ServerInfo = new() { Name = ProductInfo.Name, Version = ProductInfo.Version };
                options.ServerInstructions = ServerInstructions.Render(flavor, settings.ToolPrefix);
            })
            .WithContreePrimitives();
    }
}
