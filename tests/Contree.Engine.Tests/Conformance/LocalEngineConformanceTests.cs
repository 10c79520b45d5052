using Contree.Core;
using Contree.Engine.Runtime;
using Contree.Tests.Common;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Contree.Engine.Tests.Conformance;

/// <summary>The conformance suite against the in-process engine, registered and started as a host would.</summary>
public sealed class LocalEngineConformanceTests(LocalEngineConformanceTests.EngineFixture fixture)
    : ContreeBackendConformanceTests(fixture), IClassFixture<LocalEngineConformanceTests.EngineFixture>
{
    /// <summary>
    /// <c>AddContreeEngine</c> over a data directory in the fixture's scratch space, its hosted services started
    /// (recovery) and stopped (live sandboxes killed) like the generic host does.
    /// </summary>
    public sealed class EngineFixture : BackendFixture
    {
        private const int Slots = 2;

        private readonly string _cgroupName = "contree-lconf-" + Guid.NewGuid().ToString("N")[..12];

        private ServiceProvider? _provider;
        private List<IHostedService> _started = [];

        public override int? MaxConcurrentOperations => Slots;

        public string DataDirectory => Path.Combine(Scratch, "data");

        protected override async Task<IContreeBackend> CreateBackendAsync(CancellationToken cancellationToken)
        {
            var services = new ServiceCollection().AddLogging().AddContreeEngine(o =>
            {
                o.DataDirectory = DataDirectory;
                o.MaxConcurrentOperations = Slots;
                o.MaxLayerDepth = 8;
            });
            // A cgroup name of its own: this class's sandboxes are never touched by other engines' recovery.
            services.AddSingleton(new RuntimeOptions { CgroupName = _cgroupName });
            _provider = services.BuildServiceProvider();
            foreach (var hosted in _provider.GetServices<IHostedService>())
            {
                await hosted.StartAsync(cancellationToken);
                _started.Add(hosted);
            }

            return _provider.GetRequiredService<IContreeBackend>();
        }

        protected override async ValueTask DisposeBackendAsync()
        {
            foreach (var hosted in Enumerable.Reverse(_started))
            {
                await hosted.StopAsync(CancellationToken.None);
            }

            _started = [];
            if (_provider is not null)
            {
                await _provider.DisposeAsync();
                _provider = null;
            }

            RemoveCgroupDirectories(_cgroupName);
        }
    }
}
