using System.Text.Json;
using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// One <c>contree-mcp</c> process over stdio on the local engine (memory limit 64 MiB and 64 processes per sandbox,
/// four runs at a time) and a busybox image pushed to a loopback registry and imported through
/// <c>contree_import_image</c>; every test of <see cref="McpStdioEndToEndTests"/> starts from that image.
/// </summary>
public sealed class StdioServerFixture : IAsyncLifetime
{
    public const int PidsLimit = 64;

    private RegistryFixture? _registry;
    private ServerInstance? _server;
    private McpSession? _session;

    public static bool CanRun => HostRequirements.CanRunSandboxes && HostRequirements.CanRunRegistry;

    internal McpSession Session => _session ?? throw new InvalidOperationException("the server is not running (sandboxes or the registry cannot run here)");

    /// <summary>The import URL of the pushed image.</summary>
    public string RegistryUrl { get; private set; } = "";

    /// <summary>The tag the import gave the base image.</summary>
    public string BaseTag { get; } = $"e2e/busybox:{Guid.NewGuid():N}";

    /// <summary>UUID of the imported busybox image.</summary>
    public string BaseImage { get; private set; } = "";

    /// <summary>The contree_import_image result.</summary>
    public JsonElement Import { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!CanRun)
        {
            return;
        }

        var cancellationToken = TestContext.Current.CancellationToken;
        try
        {
            _registry = await RegistryFixture.StartAsync(RegistryAuthMode.Anonymous, cancellationToken);
            RegistryUrl = await PushBusyboxAsync(_registry, cancellationToken);
            _server = new ServerInstance(
                "--engine-memory-limit", "64m",
                "--engine-pids-limit", PidsLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--engine-max-concurrent-runs", "4");
            _session = await _server.StartStdioAsync(cancellationToken);
            Import = await _session.CallOkAsync("contree_import_image", new { registry_url = RegistryUrl, tag = BaseTag });
            BaseImage = Import.GetProperty("result_image").GetString()!;
        }
        catch
        {
            await DisposeAsync();
            throw;
        }
    }

    /// <summary>Pushes a busybox image (env E2E=from-image) to <paramref name="registry"/>; returns its import URL.</summary>
    internal static async Task<string> PushBusyboxAsync(RegistryFixture registry, CancellationToken cancellationToken)
    {
        var scratch = Directory.CreateTempSubdirectory("contree-e2e-rootfs-").FullName;
        try
        {
            var rootfs = BusyboxRootfs.Create(Path.Combine(scratch, "rootfs"));
            var image = OciImageBuilder.SimpleImage(OciImageBuilder.TarDirectory(rootfs), ["PATH=/usr/sbin:/usr/bin:/sbin:/bin", "E2E=from-image"]);
            await OciRegistryPusher.PushAsync(registry.BaseUri, "test/busybox", "1", image, cancellationToken: cancellationToken);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        return $"docker://{registry.Host}/test/busybox:1";
    }

    public async ValueTask DisposeAsync()
    {
        if (_session is not null)
        {
            await _session.DisposeAsync();
            _session = null;
        }

        if (_server is not null)
        {
            await _server.DisposeAsync();
            _server = null;
        }

        if (_registry is not null)
        {
            await _registry.DisposeAsync();
            _registry = null;
        }

        GC.SuppressFinalize(this);
    }
}
