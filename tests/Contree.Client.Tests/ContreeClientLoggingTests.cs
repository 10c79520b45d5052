using System.Net;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Tests.Common;

namespace Contree.Client.Tests;

public sealed class ContreeClientLoggingTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Logs_RequestsRetriesAndFailures_NeverContainToken()
    {
        var logger = new CapturingLogger<ContreeClient>();
        using var harness = new ClientHarness(logger: logger);
        var calls = 0;
        harness.Handler.RequestHandler = (request, _) => Interlocked.Increment(ref calls) switch
        {
            1 => Task.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)),
            2 => throw new HttpRequestException($"proxy said: {request.Headers.Authorization}"),
            3 => Task.FromResult(MockHttpHandler.Json(HttpStatusCode.OK, """{"images": []}""")),
            _ => Task.FromResult(MockHttpHandler.Json(HttpStatusCode.Unauthorized, """{"error": "bad token"}""")),
        };

        await harness.Client.ListImagesAsync(new ImageListQuery(), Ct);
        await Assert.ThrowsAsync<ContreeException>(() => harness.Client.ImportImageAsync(
            new ImportImageMetadata { Registry = new ImageRegistry { Url = "docker://x", Credentials = new() { Username = "u", Password = "registry-password" } } },
            Ct));

        var lines = logger.Lines.ToArray();
        Assert.Contains(lines, l => l.Contains("Debug: GET /images?limit=100&offset=0 |", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("GET /images?limit=100&offset=0 -> 200 in ", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("Information: Retrying GET /images", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains("POST /images/import -> 401", StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain(ClientHarness.Token, l, StringComparison.Ordinal));
        Assert.All(lines, l => Assert.DoesNotContain("registry-password", l, StringComparison.Ordinal));
    }
}
