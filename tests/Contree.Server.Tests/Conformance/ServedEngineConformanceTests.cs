using Contree.Client;
using Contree.Core;
using Contree.Engine;
using Contree.Engine.Runtime;
using Contree.Server.ApiServer;
using Contree.Server.Configuration;
using Contree.Tests.Common;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Contree.Server.Tests.Conformance;

/// <summary>
/// The conformance suite against the HTTP client talking to the local engine served over the Contree /v1 API by
/// the <c>api</c> command's application (Kestrel on 127.0.0.1, a free port): every call crosses the wire both ways.
/// </summary>
public sealed class ServedEngineConformanceTests(ServedEngineConformanceTests.ServedFixture fixture)
    : ContreeBackendConformanceTests(fixture), IClassFixture<ServedEngineConformanceTests.ServedFixture>
{
    /// <summary>The API application with the engine inside, and a <see cref="ContreeClientOptions"/>-configured client.</summary>
    public sealed class ServedFixture : BackendFixture
    {
        private const int Slots = 2;

        private readonly string _cgroupName = "contree-served-" + Guid.NewGuid().ToString("N")[..12];

        private WebApplication? _app;
        private ServiceProvider? _client;

        public override int? MaxConcurrentOperations => Slots;

        protected override async Task<IContreeBackend> CreateBackendAsync(CancellationToken cancellationToken)
        {
            var dataDirectory = Path.Combine(Scratch, "data");
            _app = ContreeApiServer.Build(
                new ApiSettings { Listen = "127.0.0.1", Port = 0 },
                LogLevel.Warning,
                services =>
                {
                    services.AddContreeEngine(o =>
                    {
                        o.DataDirectory = dataDirectory;
                        o.MaxConcurrentOperations = Slots;
                        o.MaxLayerDepth = 8;
                    });
                    // A cgroup name of its own: this class's sandboxes are never touched by other engines' recovery.
                    services.AddSingleton(new RuntimeOptions { CgroupName = _cgroupName });
                });
            await _app.StartAsync(cancellationToken);
            var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
            _client = new ServiceCollection()
                .AddLogging()
                .AddContreeClient(o => o.BaseUrl = address)
                .BuildServiceProvider();
            return _client.GetRequiredService<IContreeBackend>();
        }

        protected override async ValueTask DisposeBackendAsync()
        {
            if (_client is not null)
            {
                await _client.DisposeAsync();
                _client = null;
            }

            if (_app is not null)
            {
                await _app.StopAsync(CancellationToken.None);
                await _app.DisposeAsync();
                _app = null;
            }

            RemoveCgroupDirectories(_cgroupName);
        }
    }
}
