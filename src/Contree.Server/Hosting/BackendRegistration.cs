using Contree.Client;
using Contree.Core;
using Contree.Engine;
using Contree.Server.Configuration;

namespace Contree.Server.Hosting;

/// <summary>Registers the backend chosen by <c>--backend</c>: the HTTP client (cloud) or the embedded engine (local).</summary>
internal static class BackendRegistration
{
    public static IServiceCollection AddBackend(this IServiceCollection services, ServerSettings settings)
    {
        if (settings.Backend == BackendKind.Cloud)
        {
            return services.AddContreeClient(options =>
            {
                options.BaseUrl = settings.Url;
                options.Token = settings.Token;
                options.Project = settings.Project;
                options.ProductVersion = ProductInfo.Version;
            });
        }

        var engine = settings.Engine;
        return services.AddContreeEngine(options =>
        {
            options.DataDirectory = engine.DataDirectory;
            options.MaxConcurrentOperations = engine.MaxConcurrentRuns;
            if (engine.MemoryLimitBytes is { } memory)
            {
                options.DefaultMemoryLimitBytes = memory;
            }

            if (engine.PidsLimit is { } pids)
            {
                options.DefaultPidsLimit = pids;
            }

            options.DefaultCpus = engine.Cpus;
            options.DefaultDiskLimitBytes = engine.DiskLimitBytes;
            options.HostNetwork = engine.HostNetwork;
            options.DefaultNetworkEnabled = engine.NetworkEnabled;
            options.DeniedNetworks = engine.DeniedNetworks;
            options.EgressNetworkNamespace = engine.EgressNamespace;
            options.OutputRetentionDays = engine.OutputRetentionDays;
            foreach (var registry in engine.InsecureRegistries)
            {
                options.InsecureRegistries.Add(registry);
            }
        });
    }

    /// <summary>How tool descriptions and guides describe costs.</summary>
    public static BackendFlavor Flavor(this ServerSettings settings) =>
        settings.Backend == BackendKind.Cloud ? BackendFlavor.Cloud : BackendFlavor.Local;
}
