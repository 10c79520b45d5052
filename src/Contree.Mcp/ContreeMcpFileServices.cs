using Contree.Mcp.Files;
using Contree.Mcp.Registry;
using Contree.Mcp.Sync;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Contree.Mcp;

/// <summary>Registers the services behind the file, sync and registry tools; called by <c>AddContreeMcp</c>.</summary>
internal static class ContreeMcpFileServices
{
    /// <summary>How long one request to a container registry may take.</summary>
    private static readonly TimeSpan RegistryTimeout = TimeSpan.FromSeconds(30);

    internal static IServiceCollection AddContreeMcpFileServices(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<FileSyncCache>();
        services.TryAddSingleton<DirectorySynchronizer>();
        services.TryAddSingleton<FileUploader>();
        services.TryAddSingleton<RegistryCredentialStore>();
        services.TryAddSingleton<RegistryAuthenticator>();
        services.TryAddSingleton<DesktopBrowser>();
        services.AddHttpClient(RegistryAuthenticator.HttpClientName, client => client.Timeout = RegistryTimeout);
        return services;
    }
}
