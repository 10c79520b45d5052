using Contree.Mcp.Caches;
using Contree.Mcp.Operations;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Contree.Mcp;

/// <summary>Registers the services behind the Contree MCP tools (the backend itself is registered by the server).</summary>
public static class ContreeMcpServiceCollectionExtensions
{
    /// <summary>
    /// Adds options, the general cache, lineage, the operation tracker (also an IHostedService that cancels the
    /// operations this server started when the host stops), HTTP clients and the file/registry services.
    /// </summary>
    public static IServiceCollection AddContreeMcp(this IServiceCollection services, Action<ContreeMcpOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        var optionsBuilder = services.AddOptions<ContreeMcpOptions>();
        if (configure is not null)
        {
            optionsBuilder.Configure(configure);
        }

        services.AddHttpClient();
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<GeneralCache>();
        services.TryAddSingleton<LineageStore>();
        services.TryAddSingleton<OperationTracker>();
        services.AddSingleton<IHostedService>(sp => sp.GetRequiredService<OperationTracker>());
        services.AddContreeMcpFileServices();
        return services;
    }
}
