using Contree.Core;
using Contree.Engine.Runtime;
using Contree.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Contree.Engine.Tests.Backend;

/// <summary>The shared Contree API conformance suite against the in-process engine, wired as the server wires it.</summary>
public sealed class LocalContreeBackendConformanceTests(LocalContreeBackendConformanceTests.EngineBackendFixture fixture)
    : ContreeBackendConformanceTests(fixture), IClassFixture<LocalContreeBackendConformanceTests.EngineBackendFixture>
{
    /// <summary>AddContreeEngine over a private data directory, started through its hosted services.</summary>
    public sealed class EngineBackendFixture : BackendFixture
    {
        private ServiceProvider? _provider;

        protected override async Task<IContreeBackend> CreateBackendAsync(CancellationToken cancellationToken)
        {
            var services = new ServiceCollection();
            services.AddContreeEngine(o => o.DataDirectory = Path.Combine(Scratch, "data"));
            services.AddSingleton(new RuntimeOptions { CgroupName = "contree-conf-" + Guid.NewGuid().ToString("N")[..12] });
            _provider = services.BuildServiceProvider();
            foreach (var hosted in _provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(cancellationToken);
            }

            return _provider.GetRequiredService<IContreeBackend>();
        }

        protected override async ValueTask DisposeBackendAsync()
        {
            if (_provider is null)
            {
                return;
            }

            foreach (var hosted in _provider.GetServices<IHostedService>())
            {
                await hosted.StopAsync(CancellationToken.None);
            }

            await _provider.DisposeAsync();
            _provider = null;
        }
    }
}
