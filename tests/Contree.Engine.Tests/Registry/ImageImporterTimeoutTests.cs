using System.Net;
using System.Net.Sockets;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Engine.Tests.Registry;

/// <summary>The request's Timeout bounds the whole import.</summary>
public sealed class ImageImporterTimeoutTests : IDisposable
{
    private readonly ImportHarness _harness = new();

    public void Dispose() => _harness.Dispose();

    [Fact]
    public async Task ImportAsync_RegistryNeverAnswers_UnavailableAfterTimeout()
    {
        // Accepts connections (kernel backlog) but never answers a request.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        var request = new ImportImageMetadata { Registry = new ImageRegistry { Url = $"docker://127.0.0.1:{port}/app:1" }, Timeout = 1 };

        var error = await Assert.ThrowsAsync<ContreeException>(() => _harness.Importer.ImportAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.Contains("timed out after 1 s", error.Message, StringComparison.Ordinal);
        _harness.AssertNoLeftovers();
    }

    [Fact]
    public async Task ImportAsync_CallerCancels_OperationCanceled()
    {
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var port = ((IPEndPoint)silent.LocalEndpoint).Port;
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cancellation.CancelAfter(TimeSpan.FromMilliseconds(200));
        var request = new ImportImageMetadata { Registry = new ImageRegistry { Url = $"docker://127.0.0.1:{port}/app:1" }, Timeout = 60 };

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _harness.Importer.ImportAsync(request, cancellation.Token));
        _harness.AssertNoLeftovers();
    }
}
