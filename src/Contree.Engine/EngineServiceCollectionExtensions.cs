using Contree.Core;
using Contree.Engine.Inspect;
using Contree.Engine.Operations;
using Contree.Engine.Registry;
using Contree.Engine.Runtime;
using Contree.Engine.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Contree.Engine;

/// <summary>Registers the embedded local engine as the Contree backend.</summary>
public static class EngineServiceCollectionExtensions
{
    /// <summary>
    /// Registers one singleton serving both <see cref="IContreeBackend"/> and <see cref="IOperationCompletion"/>,
    /// its stores, the bubblewrap sandbox runtime, the OCI importer, and a hosted service that recovers on start
    /// and stops running sandboxes on shutdown.
    /// </summary>
    public static IServiceCollection AddContreeEngine(this IServiceCollection services, Action<EngineOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);
        services.AddOptions<EngineOptions>().Configure(configure).Validate(
            o => !string.IsNullOrWhiteSpace(o.DataDirectory) && o.MaxConcurrentOperations >= 1 && o.MaxLayerDepth is >= 1 and <= 499,
            "EngineOptions: DataDirectory must be set, MaxConcurrentOperations >= 1 and MaxLayerDepth between 1 and 499");
        services.AddLogging();
        services.AddHttpClient();
        services.TryAddSingleton(TimeProvider.System);

        services.AddSingleton(sp =>
        {
            var paths = new EnginePaths(sp.GetRequiredService<IOptions<EngineOptions>>().Value.DataDirectory);
            paths.EnsureCreated();
            return paths;
        });
        services.AddSingleton<EngineLock>();
        services.AddSingleton<EngineDatabase>();
        services.AddSingleton<BlobStore>();
        services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<BlobStore>());
        services.AddSingleton<LayerStore>();
        services.AddSingleton<ILayerStore>(sp => sp.GetRequiredService<LayerStore>());
        services.AddSingleton<ImageStore>();
        services.AddSingleton<FileStore>();
        services.AddSingleton<OperationStore>();
        services.AddSingleton<OutputFiles>();
        services.AddSingleton(sp => new OperationQueue(
            sp.GetRequiredService<OperationStore>(),
            sp.GetRequiredService<IOptions<EngineOptions>>().Value.MaxConcurrentOperations,
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<ILogger<OperationQueue>>()));

        // One cgroup parent per data directory: start-up cleanup of stale cgroups then never reaches sandboxes of
        // an engine that uses another data directory (engines sharing one are kept apart by EngineLock).
        services.AddSingleton(sp =>
        {
            var engine = sp.GetRequiredService<IOptions<EngineOptions>>().Value;
            var runtime = new RuntimeOptions
            {
                CgroupName = CgroupNameFor(sp.GetRequiredService<EnginePaths>().Root),
                EgressNetworkNamespace = engine.EgressNetworkNamespace,
            };
            if (engine.DeniedNetworks is { } denied)
            {
                runtime.DeniedNetworks.Clear();
                foreach (var network in denied)
                {
                    runtime.DeniedNetworks.Add(network);
                }
            }

            return runtime;
        });
        services.AddSingleton<ISandboxRuntime, BubblewrapRuntime>();
        services.AddSingleton(sp => new ImporterOptions
        {
            InsecureRegistries = [.. sp.GetRequiredService<IOptions<EngineOptions>>().Value.InsecureRegistries],
        });
        services.AddSingleton<IImageImporter, ImageImporter>();

        services.AddSingleton(_ => new LayerDirectoryCache());
        services.AddSingleton<LocalContreeBackend>();
        services.AddSingleton<IContreeBackend>(sp => sp.GetRequiredService<LocalContreeBackend>());
        services.AddSingleton<IOperationCompletion>(sp => sp.GetRequiredService<LocalContreeBackend>());
        services.AddHostedService<EngineHost>();
        return services;
    }

    /// <summary><c>contree-&lt;12 hex digits of sha256(data directory)&gt;</c>.</summary>
    internal static string CgroupNameFor(string dataDirectory) =>
        "contree-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(dataDirectory)))[..12];
}
