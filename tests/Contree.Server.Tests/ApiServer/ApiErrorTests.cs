using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Contree.Core.Errors;
using Contree.Tests.Common;

namespace Contree.Server.Tests.ApiServer;

/// <summary>
/// Every /v1 endpoint answers either a ContreeException's message with its status, or 500 "internal error &lt;id&gt;"
/// whose details are in the server log under that id; bad bodies are 400 with a message in wire terms.
/// </summary>
public sealed partial class ApiErrorTests
{
    private const string Secret = "secret internal detail";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("^internal error (?<id>[0-9a-f]{8}) \\(the details are in the server log under this id\\)$")]
    private static partial Regex InternalErrorText();

    private static async Task<(HttpStatusCode Status, string Error)> SendAsync(HttpClient client, string method, string path, string? body = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, Ct);
        var text = await response.Content.ReadAsStringAsync(Ct);
        return (response.StatusCode, JsonDocument.Parse(text).RootElement.GetProperty("error").GetString()!);
    }

    [Theory]
    [InlineData("GET", "/v1/images", null)]
    [InlineData("POST", "/v1/images/import", """{"registry":{"url":"docker://alpine:3"}}""")]
    [InlineData("PATCH", "/v1/images/0b7e4d2c-1a7e-4b8e-9a56-3c2f1d0e9b11/tag", """{"tag":"x"}""")]
    [InlineData("DELETE", "/v1/images/0b7e4d2c-1a7e-4b8e-9a56-3c2f1d0e9b11/tag", null)]
    [InlineData("GET", "/v1/inspect/?tag=x", null)]
    [InlineData("GET", "/v1/inspect/0b7e4d2c-1a7e-4b8e-9a56-3c2f1d0e9b11/", null)]
    [InlineData("GET", "/v1/inspect/0b7e4d2c-1a7e-4b8e-9a56-3c2f1d0e9b11/list?path=/", null)]
    [InlineData("GET", "/v1/inspect/0b7e4d2c-1a7e-4b8e-9a56-3c2f1d0e9b11/list?path=/&text", null)]
    [InlineData("GET", "/v1/inspect/0b7e4d2c-1a7e-4b8e-9a56-3c2f1d0e9b11/download?path=/etc/passwd", null)]
    [InlineData("POST", "/v1/files", "abc")]
    [InlineData("GET", "/v1/files?sha256=00", null)]
    [InlineData("POST", "/v1/instances", """{"command":"true","image":"0b7e4d2c-1a7e-4b8e-9a56-3c2f1d0e9b11"}""")]
    [InlineData("GET", "/v1/operations", null)]
    [InlineData("GET", "/v1/operations/0b7e4d2c-1a7e-4b8e-9a56-3c2f1d0e9b11", null)]
    [InlineData("DELETE", "/v1/operations/0b7e4d2c-1a7e-4b8e-9a56-3c2f1d0e9b11", null)]
    public async Task EveryEndpoint_UnexpectedException_Is500InternalErrorWithIdInTheLog(string method, string path, string? body)
    {
        var logs = new CapturingLoggerProvider();
        await using var server = await ApiServerHarness.StartAsync(new ThrowingBackend(), logs: logs);

        var (status, error) = await SendAsync(server.Client, method, path, body);

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var match = InternalErrorText().Match(error);
        Assert.True(match.Success, $"not an internal error: {error}");
        var line = Assert.Single(logs.Lines, l => l.Contains($"Internal error {match.Groups["id"].Value}", StringComparison.Ordinal));
        Assert.Contains(Secret, line, StringComparison.Ordinal);
        Assert.Contains("InvalidOperationException", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InternalContreeException_Is500WithIdOnly()
    {
        var logs = new CapturingLoggerProvider();
        var backend = new FakeContreeBackend();
        backend.FailNext(nameof(FakeContreeBackend.ListImagesAsync), ContreeException.Internal("layer directory '/srv/contree/layers/0a1b' is missing"));
        await using var server = await ApiServerHarness.StartAsync(backend, logs: logs);

        var (status, error) = await SendAsync(server.Client, "GET", "/v1/images");

        Assert.Equal(HttpStatusCode.InternalServerError, status);
        var id = InternalErrorText().Match(error).Groups["id"].Value;
        Assert.Contains(logs.Lines, l => l.Contains($"Internal error {id}", StringComparison.Ordinal) && l.Contains("/srv/contree/layers/0a1b", StringComparison.Ordinal));
        Assert.DoesNotContain("/srv", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/v1/instances", "[1, 2]", "the request body must be a JSON object, got array")]
    [InlineData("/v1/instances", "\"run\"", "the request body must be a JSON object, got string")]
    [InlineData("/v1/instances", "{\"command\": \"true\",\n \"image\": }", "the request body is not valid JSON (line 2, byte 11); send a JSON object")]
    [InlineData("/v1/instances", """{"image":"0b7e4d2c-1a7e-4b8e-9a56-3c2f1d0e9b11"}""", "body field 'command' is required")]
    [InlineData("/v1/instances", """{"command":"true","image":"x","timeout":"soon"}""",
        "body field 'timeout' has a value of the wrong type or form; docs/http.md lists each endpoint's fields")]
    [InlineData("/v1/instances", """{"command":"true","image":"x","env":{"A":[1]}}""",
        "body field 'env.A' has a value of the wrong type or form; docs/http.md lists each endpoint's fields")]
    [InlineData("/v1/instances", """{"command":"true","image":"x","env":null}""", "body field 'env' must not be null")]
    [InlineData("/v1/instances", """{"command":"true","image":"x","env":{"A":null}}""", "body field 'env.A' must not be null")]
    [InlineData("/v1/instances", """{"command":"true","image":"x","args":["a",null]}""", "body field 'args[1]' must not be null")]
    [InlineData("/v1/instances", """{"command":"true","image":"x","files":{"/f":{"uuid":null}}}""", "body field 'files['/f'].uuid' must not be null")]
    [InlineData("/v1/images/import", """{"registry":{}}""", "body field 'registry.url' is required")]
    [InlineData("/v1/images/import", """{"registry":{"url":"x","credentials":null}}""", "body field 'registry.credentials' must not be null")]
    [InlineData("/v1/images/import", """{"registry":{"url":"docker://alpine:3"},"timeout":1e99}""",
        "body field 'timeout' has a value of the wrong type or form; docs/http.md lists each endpoint's fields")]
    public async Task MalformedBody_Is400NamingTheProblem(string path, string body, string expected)
    {
        var backend = new FakeContreeBackend();
        await using var server = await ApiServerHarness.StartAsync(backend);

        var (status, error) = await SendAsync(server.Client, "POST", path, body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(expected, error);
        Assert.Empty(backend.SpawnRequests);
        Assert.Empty(backend.ImportRequests);
    }
}
