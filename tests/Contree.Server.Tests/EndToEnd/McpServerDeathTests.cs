using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// SIGKILL of the server takes every sandbox down with it, also those still being set up at that moment (bwrap arms
/// its own death signal only after its setup; the launch chain covers that window).
/// </summary>
public sealed class McpServerDeathTests : IAsyncLifetime
{
    private const string SkipReason = HostRequirements.SandboxSkipReason + "; " + HostRequirements.RegistrySkipReason;
    private const int Rounds = 4;
    private const int RunsPerRound = 8;

    private RegistryFixture? _registry;
    private string _registryUrl = "";

    public static bool CanRun => StdioServerFixture.CanRun;

    public async ValueTask InitializeAsync()
    {
        if (CanRun)
        {
            _registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, TestContext.Current.CancellationToken);
            _registryUrl = await StdioServerFixture.PushBusyboxAsync(_registry, TestContext.Current.CancellationToken);
        }
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task KillServer_WhileSandboxesStart_NoneSurvives()
    {
        var cancellationToken = TestContext.Current.CancellationToken;
        for (var round = 0; round < Rounds; round++)
        {
            var marker = "contree-death-" + Guid.NewGuid().ToString("N");
            await using var server = new ServerInstance();
            var (session, process) = await server.StartHttpAsync(cancellationToken);
            var import = await session.CallOkAsync("contree_import_image", new { registry_url = _registryUrl });
            var image = import.GetProperty("result_image").GetString();
            for (var i = 0; i < RunsPerRound; i++)
            {
                await session.CallOkAsync("contree_run", new { command = $"sleep 600 # {marker}", image, wait = false });
            }

            // Kill as soon as the first sandbox exists, so the others are caught at every stage of their setup.
            while (HostProcesses.WithArgumentContaining(marker).Count == 0)
            {
                await Task.Delay(5, cancellationToken);
            }

            process.Kill(entireProcessTree: false);
            await process.WaitForExitAsync(cancellationToken);

            var left = await HostProcesses.WaitUntilGoneAsync(marker, TimeSpan.FromSeconds(10), cancellationToken);
            var described = HostProcesses.Describe(left);
            HostProcesses.Kill(left);
            Assert.True(left.Count == 0, $"round {round}: sandbox processes outlived the server: {described}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_registry is not null)
        {
            await _registry.DisposeAsync();
        }
    }
}
