using Microsoft.Extensions.Hosting;

namespace Contree.Engine;

/// <summary>
/// Runs engine recovery when the host starts (interrupted operations FAILED, stale mounts, cgroups and
/// temporary directories removed) and stops it cleanly (live sandboxes killed, their operations CANCELLED).
/// </summary>
internal sealed class EngineHost(LocalContreeBackend backend) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        backend.Recover();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => backend.StopAsync(cancellationToken);
}
