using Contree.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Contree.Client;

/// <summary>Registers the cloud backend: <see cref="IContreeBackend"/> over the Contree /v1 HTTP API.</summary>
public static class ClientServiceCollectionExtensions
{
    internal const string HttpClientName = "Contree.Client";

    /// <summary>
    /// Adds a singleton <see cref="IContreeBackend"/> that talks to the Contree API. It does not implement
    /// <c>IOperationCompletion</c>: operations are polled by the MCP layer.
    /// </summary>
    public static IServiceCollection AddContreeClient(this IServiceCollection services, Action<ContreeClientOptions> configure)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configure);

        services.AddOptions<ContreeClientOptions>().Configure(configure);
        services.AddHttpClient(HttpClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => new SocketsHttpHandler
            {
                // Redirects are followed by ContreeClient itself so that the bearer token is kept on same-origin
                // hops (HttpClient drops Authorization on every redirect) and never sent to another origin.
                AllowAutoRedirect = false,
                AutomaticDecompression = System.Net.DecompressionMethods.All,
                ConnectTimeout = sp.GetRequiredService<IOptions<ContreeClientOptions>>().Value.RequestTimeout,
                // The client is a long-lived singleton: recycle pooled connections so DNS changes are seen.
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            })
            .SetHandlerLifetime(Timeout.InfiniteTimeSpan)
            // The factory's default loggers would duplicate ContreeClient's own request log; removing them
            // also guarantees no header (the token) is ever written by a logging handler.
            .RemoveAllLoggers()
            .ConfigureHttpClient(client => client.Timeout = Timeout.InfiniteTimeSpan);

        services.AddSingleton<IContreeBackend>(sp => new ContreeClient(
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(HttpClientName),
            sp.GetRequiredService<IOptions<ContreeClientOptions>>().Value,
            sp.GetRequiredService<ILogger<ContreeClient>>(),
            sp.GetService<TimeProvider>()));
        return services;
    }
}
