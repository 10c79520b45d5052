using System.Net;
using System.Text.Json;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Tests.Common;

namespace Contree.Client.Tests;

public sealed class ContreeClientImagesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListImages_Default_SendsLimitAndOffsetAndParsesImages()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"images": [{"uuid": "a1", "tag": "python:3.11", "created_at": "2026-01-01T00:00:00Z"}, {"uuid": "b2"}]}""");

        var result = await harness.Client.ListImagesAsync(new ImageListQuery(), Ct);

        Assert.Equal("GET /v1/images?limit=100&offset=0", harness.SingleRequestLine);
        Assert.Equal(2, result.Images.Count);
        Assert.Equal("python:3.11", result.Images[0].Tag);
        Assert.Null(result.Images[1].Tag);
    }

    [Fact]
    public async Task ListImages_WithFilters_SendsExactQuery()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"images": []}""");

        var result = await harness.Client.ListImagesAsync(
            new ImageListQuery { Limit = 10, Offset = 5, Tagged = true, TagPrefix = "common/python:", Since = "2026-01-01T00:00:00Z", Until = "1d" },
            Ct);

        Assert.Empty(result.Images);
        Assert.Equal("GET /v1/images?limit=10&offset=5&tagged=1&tag=common/python&since=2026-01-01T00:00:00Z&until=1d", harness.SingleRequestLine);
    }

    [Fact]
    public async Task ListImages_UntaggedAndSpecialCharacters_EscapesQueryValues()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"images": []}""");

        await harness.Client.ListImagesAsync(new ImageListQuery { Tagged = false, TagPrefix = "a&b=c d#e", Since = "2026-01-01T00:00:00+02:00" }, Ct);

        Assert.Equal("GET /v1/images?limit=100&offset=0&tagged=0&tag=a%26b%3Dc%20d%23e&since=2026-01-01T00:00:00%2B02:00", harness.SingleRequestLine);
    }

    [Fact]
    public async Task ListImages_NegativeOffset_ThrowsInvalidArgumentWithoutRequest()
    {
        using var harness = new ClientHarness();

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.ListImagesAsync(new ImageListQuery { Offset = -1 }, Ct));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("offset", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Requests);
    }

    [Fact]
    public async Task ImportImage_Anonymous_SendsEmptyCredentialsAndOmitsTag()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => MockHttpHandler.Json(HttpStatusCode.Accepted, """{"uuid": "op-123"}"""));

        var id = await harness.Client.ImportImageAsync(
            new ImportImageMetadata { Registry = new ImageRegistry { Url = "docker://docker.io/library/alpine:latest", Credentials = new() { Username = "only-user" } } },
            Ct);

        Assert.Equal("op-123", id);
        var request = Assert.Single(harness.Requests);
        Assert.Equal("POST /v1/images/import", $"{request.Method} {request.Uri.PathAndQuery}");
        Assert.Equal("application/json", request.ContentType);
        using var body = JsonDocument.Parse(request.BodyText);
        var registry = body.RootElement.GetProperty("registry");
        Assert.Equal("docker://docker.io/library/alpine:latest", registry.GetProperty("url").GetString());
        Assert.Equal("", registry.GetProperty("credentials").GetProperty("username").GetString());
        Assert.Equal("", registry.GetProperty("credentials").GetProperty("password").GetString());
        Assert.False(body.RootElement.TryGetProperty("tag", out _));
        Assert.Equal(300, body.RootElement.GetProperty("timeout").GetInt32());
        Assert.Equal(
            """{"registry":{"url":"docker://docker.io/library/alpine:latest","credentials":{"username":"","password":""}},"timeout":300}""",
            request.BodyText);
    }

    [Fact]
    public async Task ImportImage_WithCredentialsTagAndTimeout_SendsThem()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => MockHttpHandler.Json(HttpStatusCode.Accepted, """{"uuid": "op-123"}"""));

        var id = await harness.Client.ImportImageAsync(
            new ImportImageMetadata
            {
                Registry = new ImageRegistry { Url = "docker://ghcr.io/org/app:v1", Credentials = new() { Username = "user", Password = "pat" } },
                Tag = "app:v1",
                Timeout = 120,
            },
            Ct);

        Assert.Equal("op-123", id);
        using var body = JsonDocument.Parse(Assert.Single(harness.Requests).BodyText);
        Assert.Equal("user", body.RootElement.GetProperty("registry").GetProperty("credentials").GetProperty("username").GetString());
        Assert.Equal("pat", body.RootElement.GetProperty("registry").GetProperty("credentials").GetProperty("password").GetString());
        Assert.Equal("app:v1", body.RootElement.GetProperty("tag").GetString());
        Assert.Equal(120, body.RootElement.GetProperty("timeout").GetInt32());
    }

    [Fact]
    public async Task ImportImage_EmptyUuidAndNoLocation_ThrowsNoOperationId()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => MockHttpHandler.Json(HttpStatusCode.Accepted, """{"uuid": ""}"""));

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.ImportImageAsync(Import(), Ct));

        Assert.Equal("No operation ID returned from import request", error.Message);
        Assert.Equal(ContreeErrorKind.Internal, error.Kind);
    }

    [Theory]
    [InlineData("""{"uuid": ""}""")]
    [InlineData("""{"status": "PENDING"}""")]
    [InlineData("")]
    public async Task ImportImage_NoUuidInBody_FallsBackToLocationHeader(string body)
    {
        using var harness = new ClientHarness();
        harness.Respond(_ =>
        {
            var response = MockHttpHandler.Json(HttpStatusCode.Accepted, body);
            response.Headers.Location = new Uri("/v1/operations/op-from-location", UriKind.Relative);
            return response;
        });

        var id = await harness.Client.ImportImageAsync(Import(), Ct);

        Assert.Equal("op-from-location", id);
    }

    [Fact]
    public async Task ImportImage_ServerError_IsNotRetried()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"error": "registry unreachable"}""", HttpStatusCode.InternalServerError);

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.ImportImageAsync(Import(), Ct));

        Assert.Equal("registry unreachable", error.Message);
        Assert.Single(harness.Requests);
    }

    [Fact]
    public async Task TagImage_Patch_SendsTagAndReturnsImage()
    {
        using var harness = new ClientHarness();
        harness.RespondJson($$"""{"uuid": "{{ClientHarness.ImageUuid}}", "tag": "myapp:v1"}""");

        var image = await harness.Client.TagImageAsync(ClientHarness.ImageUuid, "myapp:v1", Ct);

        Assert.Equal("myapp:v1", image.Tag);
        var request = Assert.Single(harness.Requests);
        Assert.Equal($"PATCH /v1/images/{ClientHarness.ImageUuid}/tag", $"{request.Method} {request.Uri.PathAndQuery}");
        Assert.Equal("""{"tag":"myapp:v1"}""", request.BodyText);
        Assert.Equal("application/json", request.ContentType);
    }

    [Fact]
    public async Task TagImage_EmptyTag_ThrowsInvalidArgument()
    {
        using var harness = new ClientHarness();

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.TagImageAsync(ClientHarness.ImageUuid, "", Ct));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Empty(harness.Requests);
    }

    [Fact]
    public async Task UntagImage_Delete_DrainsBodyAndSendsNoContentType()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => MockHttpHandler.Text(HttpStatusCode.OK, "whatever the backend says"));

        await harness.Client.UntagImageAsync(ClientHarness.ImageUuid, Ct);

        var request = Assert.Single(harness.Requests);
        Assert.Equal($"DELETE /v1/images/{ClientHarness.ImageUuid}/tag", $"{request.Method} {request.Uri.PathAndQuery}");
        Assert.Null(request.ContentType);
    }

    [Fact]
    public async Task UntagImage_NotFound_ThrowsNotFoundWithBackendMessage()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"error": "image not found"}""", HttpStatusCode.NotFound);

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.UntagImageAsync(ClientHarness.ImageUuid, Ct));

        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
        Assert.Equal(404, error.StatusCode);
        Assert.Equal("image not found", error.Message);
    }

    private static ImportImageMetadata Import() => new() { Registry = new ImageRegistry { Url = "docker://alpine:latest" } };
}
