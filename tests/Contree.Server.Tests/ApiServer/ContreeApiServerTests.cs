using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;
using Contree.Tests.Common;

namespace Contree.Server.Tests.ApiServer;

public sealed class ContreeApiServerTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.Clone();

    [Fact]
    public async Task GetImages_WithFilters_ReturnsWireJson()
    {
        var backend = new FakeContreeBackend();
        var tagged = backend.AddImage("common/python:3.11");
        backend.AddImage();
        await using var server = await ApiServerHarness.StartAsync(backend);

        var response = await server.Client.GetAsync("/v1/images?tagged=1&tag=common/&limit=10", Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var image = Assert.Single((await JsonAsync(response)).GetProperty("images").EnumerateArray());
        Assert.Equal(tagged, image.GetProperty("uuid").GetString());
        Assert.Equal("common/python:3.11", image.GetProperty("tag").GetString());
        Assert.True(image.TryGetProperty("created_at", out _));
    }

    [Fact]
    public async Task GetImages_BadLimit_Returns400WithError()
    {
        await using var server = await ApiServerHarness.StartAsync(new FakeContreeBackend());

        var response = await server.Client.GetAsync("/v1/images?limit=abc", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("'limit'", (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task PostInstances_ValidBody_Returns202WithUuidAndLocation()
    {
        var backend = new FakeContreeBackend();
        var image = backend.AddImage();
        await using var server = await ApiServerHarness.StartAsync(backend);
        var body = JsonSerializer.Serialize(new InstanceMetadata { Command = "echo hi", Image = image, Shell = true }, ContreeJsonContext.Default.InstanceMetadata);

        var response = await server.Client.PostAsync("/v1/instances", new StringContent(body, Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await JsonAsync(response)).GetProperty("uuid").GetString();
        Assert.False(string.IsNullOrEmpty(id));
        Assert.Equal($"/v1/operations/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("echo hi", Assert.Single(backend.SpawnRequests).Command);

        var operation = await JsonAsync(await server.Client.GetAsync($"/v1/operations/{id}", Ct));
        Assert.Equal("instance", operation.GetProperty("kind").GetString());
        Assert.Equal("SUCCESS", operation.GetProperty("status").GetString());
        Assert.Equal("echo hi", operation.GetProperty("metadata").GetProperty("command").GetString());
        Assert.Equal("echo hi", operation.GetProperty("metadata").GetProperty("result").GetProperty("stdout").GetProperty("value").GetString());
    }

    [Fact]
    public async Task PostInstances_MalformedJson_Returns400()
    {
        var backend = new FakeContreeBackend();
        await using var server = await ApiServerHarness.StartAsync(backend);

        var response = await server.Client.PostAsync("/v1/instances", new StringContent("{\"command\": ", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(
            "the request body is not valid JSON (line 1, byte 13); send a JSON object",
            (await JsonAsync(response)).GetProperty("error").GetString());
        Assert.Empty(backend.SpawnRequests);
    }

    [Fact]
    public async Task PostImport_ValidBody_Returns202AndImportOperationIsListed()
    {
        var backend = new FakeContreeBackend();
        await using var server = await ApiServerHarness.StartAsync(backend);

        var response = await server.Client.PostAsync("/v1/images/import",
            new StringContent("""{"registry":{"url":"docker://alpine:3"},"tag":"alpine","timeout":60}""", Encoding.UTF8, "application/json"), Ct);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var id = (await JsonAsync(response)).GetProperty("uuid").GetString();
        Assert.Equal($"/v1/operations/{id}", response.Headers.Location?.OriginalString);
        Assert.Equal("docker://alpine:3", Assert.Single(backend.ImportRequests).Registry.Url);
        var list = await JsonAsync(await server.Client.GetAsync("/v1/operations?kind=image_import", Ct));
        Assert.Equal(id, Assert.Single(list.GetProperty("operations").EnumerateArray()).GetProperty("uuid").GetString());
    }

    [Fact]
    public async Task GetOperations_UnknownStatus_Returns400NamingValues()
    {
        await using var server = await ApiServerHarness.StartAsync(new FakeContreeBackend());

        var response = await server.Client.GetAsync("/v1/operations?status=DONE", Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("EXECUTING", (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetOperation_Unknown_Returns404WithBackendMessage()
    {
        await using var server = await ApiServerHarness.StartAsync(new FakeContreeBackend());

        var response = await server.Client.GetAsync("/v1/operations/nope", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("nope", (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DeleteOperation_Held_CancelsIt()
    {
        var backend = new FakeContreeBackend { RunHandler = _ => new FakeRunOutcome { Hold = true } };
        var image = backend.AddImage();
        var id = await backend.SpawnInstanceAsync(new InstanceMetadata { Command = "sleep", Image = image }, Ct);
        await using var server = await ApiServerHarness.StartAsync(backend);

        var response = await server.Client.DeleteAsync($"/v1/operations/{id}", Ct);

        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
        Assert.Equal(id, Assert.Single(backend.CancelRequests));
        Assert.Equal(OperationStatus.Cancelled, backend.StatusOf(id));
    }

    [Fact]
    public async Task TagEndpoints_SetLookupAndRemove_RoundTrip()
    {
        var backend = new FakeContreeBackend();
        var image = backend.AddImage();
        await using var server = await ApiServerHarness.StartAsync(backend);

        var tagged = await server.Client.PatchAsync($"/v1/images/{image}/tag", new StringContent("""{"tag":"my/env:1"}""", Encoding.UTF8, "application/json"), Ct);
        Assert.Equal(HttpStatusCode.OK, tagged.StatusCode);
        Assert.Equal("my/env:1", (await JsonAsync(tagged)).GetProperty("tag").GetString());

        var byTag = await JsonAsync(await server.Client.GetAsync("/v1/inspect/?tag=" + Uri.EscapeDataString("my/env:1"), Ct));
        Assert.Equal(image, byTag.GetProperty("uuid").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await server.Client.DeleteAsync($"/v1/images/{image}/tag", Ct)).StatusCode);
        var byUuid = await JsonAsync(await server.Client.GetAsync($"/v1/inspect/{image}/", Ct));
        Assert.Equal(JsonValueKind.Null, byUuid.GetProperty("tag").ValueKind);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync("/v1/inspect/?tag=my/env:1", Ct)).StatusCode);
    }

    [Fact]
    public async Task InspectList_JsonAndText_ReturnBothForms()
    {
        var backend = new FakeContreeBackend();
        var image = backend.AddImage(files: new Dictionary<string, string> { ["/etc/hostname"] = "box\n" });
        await using var server = await ApiServerHarness.StartAsync(backend);

        var list = await JsonAsync(await server.Client.GetAsync($"/v1/inspect/{image}/list?path=etc", Ct));
        Assert.Equal("/etc", list.GetProperty("path").GetString());
        var entry = Assert.Single(list.GetProperty("files").EnumerateArray());
        Assert.Equal("hostname", entry.GetProperty("path").GetString());
        Assert.True(entry.GetProperty("is_regular").GetBoolean());

        var text = await server.Client.GetAsync($"/v1/inspect/{image}/list?path=/etc&text=", Ct);
        Assert.Equal("text/plain", text.Content.Headers.ContentType?.MediaType);
        Assert.Contains("hostname", await text.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Download_ExistingAndMissing_StreamsBytesOr404()
    {
        var backend = new FakeContreeBackend();
        var image = backend.AddImage();
        var content = RandomNumberGenerator.GetBytes(300_000);
        backend.AddFile(image, "/data/blob.bin", content);
        await using var server = await ApiServerHarness.StartAsync(backend);

        var response = await server.Client.GetAsync($"/v1/inspect/{image}/download?path=/data/blob.bin", Ct);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(content, await response.Content.ReadAsByteArrayAsync(Ct));

        var missing = await server.Client.GetAsync($"/v1/inspect/{image}/download?path=/nope", Ct);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.True((await JsonAsync(missing)).TryGetProperty("error", out _));

        using var head = new HttpRequestMessage(HttpMethod.Head, $"/v1/inspect/{image}/download?path=/data/blob.bin");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(head, Ct)).StatusCode);
        using var headMissing = new HttpRequestMessage(HttpMethod.Head, $"/v1/inspect/{image}/download?path=/nope");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.SendAsync(headMissing, Ct)).StatusCode);
    }

    [Fact]
    public async Task Files_UploadThenLookup_ByHashAndUuid()
    {
        var backend = new FakeContreeBackend();
        await using var server = await ApiServerHarness.StartAsync(backend);
        var content = RandomNumberGenerator.GetBytes(100_000);
        var sha = Convert.ToHexStringLower(SHA256.HashData(content));

        var upload = await server.Client.PostAsync("/v1/files", new ByteArrayContent(content) { Headers = { ContentType = new MediaTypeHeaderValue("application/octet-stream") } }, Ct);
        Assert.Equal(HttpStatusCode.OK, upload.StatusCode);
        var file = await upload.Content.ReadFromJsonAsync(ContreeJsonContext.Default.FileResponse, Ct);
        Assert.Equal(sha, file!.Sha256);

        var byHash = await server.Client.GetFromJsonAsync($"/v1/files?sha256={sha}", ContreeJsonContext.Default.FileResponse, Ct);
        Assert.Equal(file.Uuid, byHash!.Uuid);
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.GetAsync($"/v1/files?sha256={new string('0', 64)}", Ct)).StatusCode);

        using var headHash = new HttpRequestMessage(HttpMethod.Head, $"/v1/files?sha256={sha}");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(headHash, Ct)).StatusCode);
        using var headUuid = new HttpRequestMessage(HttpMethod.Head, $"/v1/files?uuid={file.Uuid}");
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(headUuid, Ct)).StatusCode);
        using var headUnknown = new HttpRequestMessage(HttpMethod.Head, $"/v1/files?uuid={Guid.NewGuid()}");
        Assert.Equal(HttpStatusCode.NotFound, (await server.Client.SendAsync(headUnknown, Ct)).StatusCode);
    }

    [Theory]
    [InlineData(ContreeErrorKind.Conflict, HttpStatusCode.Conflict)]
    [InlineData(ContreeErrorKind.Unavailable, HttpStatusCode.ServiceUnavailable)]
    [InlineData(ContreeErrorKind.Unauthorized, HttpStatusCode.Unauthorized)]
    public async Task BackendError_ByKind_MapsToStatusAndMessage(ContreeErrorKind kind, HttpStatusCode expected)
    {
        var backend = new FakeContreeBackend();
        backend.FailNext(nameof(FakeContreeBackend.ListImagesAsync), new ContreeException(kind, "backend says no"));
        await using var server = await ApiServerHarness.StartAsync(backend);

        var response = await server.Client.GetAsync("/v1/images", Ct);

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("backend says no", (await JsonAsync(response)).GetProperty("error").GetString());
    }

    [Fact]
    public async Task UnknownPath_Returns404Json()
    {
        await using var server = await ApiServerHarness.StartAsync(new FakeContreeBackend());

        var response = await server.Client.GetAsync("/v2/whatever", Ct);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Contains("no such endpoint", (await JsonAsync(response)).GetProperty("error").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Token_MissingWrongOrRight_Returns401Or200()
    {
        await using var server = await ApiServerHarness.StartAsync(new FakeContreeBackend(), token: "s3cret");

        var missing = await server.Client.GetAsync("/v1/images", Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, "/v1/images") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "nope") } };
        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendAsync(wrong, Ct)).StatusCode);

        using var right = new HttpRequestMessage(HttpMethod.Get, "/v1/images") { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", "s3cret") } };
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(right, Ct)).StatusCode);
    }
}
