using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using Contree.Tests.Common;

namespace Contree.Server.Tests.ApiServer;

/// <summary>
/// /v1 and long output: the operation body carries each output whole (as the Contree API does, so the original client
/// works unchanged) although the backend only returns views, and <c>/v1/operations/{id}/stdout|stderr</c> serve ranges.
/// </summary>
public sealed class ContreeApiServerOutputTests
{
    private static readonly byte[] Printed =
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 700_000).Select(static i => i.ToString(CultureInfo.InvariantCulture) + "\n")));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<(FakeContreeBackend Backend, ApiServerHarness Server, string Id)> StartWithRunAsync(FakeRunOutcome outcome)
    {
        var backend = new FakeContreeBackend { RunHandler = _ => outcome };
        var image = backend.AddImage();
        var server = await ApiServerHarness.StartAsync(backend);
        var id = await backend.SpawnInstanceAsync(new Core.Models.InstanceMetadata { Command = "seq", Image = image, TruncateOutputAt = 64L << 20 }, Ct);
        return (backend, server, id);
    }

    [Fact]
    public async Task GetOperation_LongOutput_BodyCarriesTheWholeOutputInTheWireShape()
    {
        var binary = Enumerable.Range(0, 2_500_000).Select(static i => (byte)(i * 13 % 256)).ToArray();
        var (_, server, id) = await StartWithRunAsync(new FakeRunOutcome { StdoutBytes = Printed, Stderr = Encoding.Latin1.GetString(binary) });
        await using var _ = server;

        var response = await server.Client.GetAsync($"/v1/operations/{id}", Ct);
        var operation = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(Ct)).RootElement;

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var result = operation.GetProperty("metadata").GetProperty("result");
        var stdout = result.GetProperty("stdout");
        Assert.Equal("ascii", stdout.GetProperty("encoding").GetString());
        Assert.Equal(Encoding.ASCII.GetString(Printed), stdout.GetProperty("value").GetString());
        Assert.False(stdout.GetProperty("truncated").GetBoolean());
        Assert.Equal(["value", "encoding", "truncated"], stdout.EnumerateObject().Select(p => p.Name));
        var stderr = result.GetProperty("stderr");
        Assert.Equal("base64", stderr.GetProperty("encoding").GetString());
        Assert.Equal(Encoding.UTF8.GetBytes(Encoding.Latin1.GetString(binary)), Convert.FromBase64String(stderr.GetProperty("value").GetString()!));
        Assert.Equal("seq", operation.GetProperty("metadata").GetProperty("command").GetString());
        Assert.Equal(id, operation.GetProperty("uuid").GetString());
    }

    [Fact]
    public async Task GetOutput_Ranges_ReturnExactBytesWithSizeHeaders()
    {
        var (_, server, id) = await StartWithRunAsync(new FakeRunOutcome { StdoutBytes = Printed, Stderr = "err\n" });
        await using var _ = server;

        var whole = await server.Client.GetAsync($"/v1/operations/{id}/stdout", Ct);
        var middle = await server.Client.GetAsync($"/v1/operations/{id}/stdout?offset=1000000&length=12345", Ct);
        var past = await server.Client.GetAsync($"/v1/operations/{id}/stdout?offset={Printed.Length + 10}", Ct);
        var stderr = await server.Client.GetAsync($"/v1/operations/{id}/stderr?offset=1", Ct);

        Assert.Equal(HttpStatusCode.OK, whole.StatusCode);
        Assert.Equal("application/octet-stream", whole.Content.Headers.ContentType?.MediaType);
        Assert.Equal(Printed, await whole.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(Printed.Length.ToString(CultureInfo.InvariantCulture), Assert.Single(whole.Headers.GetValues("X-Contree-Output-Size")));
        Assert.Equal("false", Assert.Single(whole.Headers.GetValues("X-Contree-Output-Truncated")));
        Assert.Equal(Printed.AsSpan(1_000_000, 12_345).ToArray(), await middle.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal(12_345, middle.Content.Headers.ContentLength);
        Assert.Empty(await past.Content.ReadAsByteArrayAsync(Ct));
        Assert.Equal("rr\n", await stderr.Content.ReadAsStringAsync(Ct));
    }

    [Fact]
    public async Task GetOutput_RunningUnknownOrBadRange_ErrorsWithStatus()
    {
        var (_, server, id) = await StartWithRunAsync(new FakeRunOutcome { Hold = true });
        await using var _ = server;

        var running = await server.Client.GetAsync($"/v1/operations/{id}/stdout", Ct);
        var unknown = await server.Client.GetAsync($"/v1/operations/{Guid.NewGuid()}/stderr", Ct);
        var badOffset = await server.Client.GetAsync($"/v1/operations/{id}/stdout?offset=-3", Ct);

        Assert.Equal(HttpStatusCode.Conflict, running.StatusCode);
        Assert.Contains("still EXECUTING", await running.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, badOffset.StatusCode);
        var error = JsonDocument.Parse(await badOffset.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString();
        Assert.Contains("'offset'", error, StringComparison.Ordinal);
    }
}
