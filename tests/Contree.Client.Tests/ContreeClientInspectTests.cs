using System.Net;
using Contree.Core.Errors;
using Contree.Tests.Common;

namespace Contree.Client.Tests;

public sealed class ContreeClientInspectTests
{
    private const string Uuid = ClientHarness.ImageUuid;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task GetImage_ByUuid_UsesTrailingSlash()
    {
        using var harness = new ClientHarness();
        harness.RespondJson(Samples.Image);

        var image = await harness.Client.GetImageAsync(Uuid, Ct);

        Assert.Equal($"GET /v1/inspect/{Uuid}/", harness.SingleRequestLine);
        Assert.Equal(Uuid, image.Uuid);
    }

    [Fact]
    public async Task GetImageByTag_TagWithSlashAndSpecials_QueryIsEscaped()
    {
        using var harness = new ClientHarness();
        harness.RespondJson(Samples.Image);

        var image = await harness.Client.GetImageByTagAsync("common/python:3.11&x=1", Ct);

        Assert.Equal("GET /v1/inspect/?tag=common/python:3.11%26x%3D1", harness.SingleRequestLine);
        Assert.Equal("python:3.11", image.Tag);
    }

    [Fact]
    public async Task GetImageByTag_SameOriginRedirect_FollowedWithToken()
    {
        using var harness = new ClientHarness();
        harness.Respond(request =>
        {
            if (request.RequestUri!.AbsolutePath == "/v1/inspect/")
            {
                var redirect = new HttpResponseMessage(HttpStatusCode.Found);
                redirect.Headers.Location = new Uri($"/v1/inspect/{Uuid}/", UriKind.Relative);
                return redirect;
            }

            return MockHttpHandler.Json(HttpStatusCode.OK, Samples.Image);
        });

        var image = await harness.Client.GetImageByTagAsync("python:3.11", Ct);

        Assert.Equal(Uuid, image.Uuid);
        var requests = harness.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal($"/v1/inspect/{Uuid}/", requests[1].Uri.PathAndQuery);
        Assert.Equal($"Bearer {ClientHarness.Token}", requests[1].Headers["Authorization"]);
    }

    [Fact]
    public async Task GetImage_CrossOriginRedirect_DropsToken()
    {
        using var harness = new ClientHarness();
        harness.Respond(request =>
        {
            if (request.RequestUri!.Host == "api.example.com")
            {
                var redirect = new HttpResponseMessage(HttpStatusCode.TemporaryRedirect);
                redirect.Headers.Location = new Uri("https://mirror.example.net/inspect");
                return redirect;
            }

            return MockHttpHandler.Json(HttpStatusCode.OK, Samples.Image);
        });

        await harness.Client.GetImageAsync(Uuid, Ct);

        var requests = harness.Requests;
        Assert.Equal(2, requests.Count);
        Assert.Equal("mirror.example.net", requests[1].Uri.Host);
        Assert.False(requests[1].Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task GetImage_RedirectLoop_ThrowsAfterFiveHops()
    {
        using var harness = new ClientHarness();
        harness.Respond(request =>
        {
            var redirect = new HttpResponseMessage(HttpStatusCode.Found);
            redirect.Headers.Location = new Uri(request.RequestUri!, $"/v1/inspect/{Uuid}/");
            return redirect;
        });

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetImageAsync(Uuid, Ct));

        Assert.Equal(6, harness.Requests.Count);
        Assert.Contains("redirect (HTTP 302) that was not followed", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../images")]
    [InlineData("abc/def")]
    [InlineData("a?b=c")]
    [InlineData("tag:python")]
    [InlineData("")]
    public async Task GetImage_NotAnId_ThrowsInvalidArgumentWithoutRequest(string imageUuid)
    {
        using var harness = new ClientHarness();

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetImageAsync(imageUuid, Ct));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("image UUID", error.Message, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(harness.Requests);
    }

    [Fact]
    public async Task ListDirectory_RelativePath_NormalisedToLeadingSlash()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""
            {"path": "/root", "files": [{"path": "file1.txt", "size": 5, "owner": 0, "group": "staff", "mode": 33188, "mtime": 1700000000,
              "is_dir": false, "is_regular": true, "is_symlink": false, "is_socket": false, "is_fifo": false}]}
            """);

        var listing = await harness.Client.ListDirectoryAsync(Uuid, "//root", Ct);

        Assert.Equal($"GET /v1/inspect/{Uuid}/list?path=/root", harness.SingleRequestLine);
        Assert.Equal("/root", listing.Path);
        var entry = Assert.Single(listing.Files);
        Assert.Equal("file1.txt", entry.Path);
        Assert.Equal("staff", entry.Group);
        Assert.True(entry.IsRegular);
    }

    [Fact]
    public async Task ListDirectoryText_SendsEmptyTextParameterAndReturnsBody()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => MockHttpHandler.Text(HttpStatusCode.OK, "-rw-r--r-- 1 root root 5 file1.txt\n"));

        var text = await harness.Client.ListDirectoryTextAsync(Uuid, "etc dir", Ct);

        Assert.Equal($"GET /v1/inspect/{Uuid}/list?path=/etc%20dir&text=", harness.SingleRequestLine);
        Assert.Equal("-rw-r--r-- 1 root root 5 file1.txt\n", text);
    }

    [Fact]
    public async Task DownloadFile_BinaryBody_ReturnsExactBytes()
    {
        using var harness = new ClientHarness();
        byte[] content = [0x00, 0xFF, 0x80, 0x0A, 0x7F];
        harness.Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new ByteArrayContent(content) });

        await using var stream = await harness.Client.DownloadFileAsync(Uuid, "etc/data.bin", Ct);
        using var copy = new MemoryStream();
        await stream.CopyToAsync(copy, Ct);

        Assert.Equal(content, copy.ToArray());
        Assert.Equal($"GET /v1/inspect/{Uuid}/download?path=/etc/data.bin", harness.SingleRequestLine);
    }

    [Fact]
    public async Task DownloadFile_Missing_ThrowsBeforeReturningStream()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"error": "file not found: /nope"}""", HttpStatusCode.NotFound);

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.DownloadFileAsync(Uuid, "/nope", Ct));

        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
        Assert.Equal("file not found: /nope", error.Message);
    }

    [Fact]
    public async Task DownloadFile_64MiB_IsReadIncrementally()
    {
        const long size = 64L * 1024 * 1024;
        using var harness = new ClientHarness();
        var body = new GeneratedStream(size);
        harness.Respond(_ => new HttpResponseMessage(HttpStatusCode.OK) { Content = new StreamContent(body, 64 * 1024) });

        var stream = await harness.Client.DownloadFileAsync(Uuid, "/big.bin", Ct);
        var first = new byte[64 * 1024];
        var read = await stream.ReadAsync(first, Ct);

        Assert.True(read > 0);
        Assert.True(body.Produced < size / 16, $"first read pulled {body.Produced} bytes of {size}");
        Assert.Equal(GeneratedStream.ByteAt(read - 1), first[read - 1]);

        long total = read;
        var buffer = new byte[256 * 1024];
        var mismatch = false;
        while ((read = await stream.ReadAsync(buffer, Ct)) > 0)
        {
            mismatch |= buffer[read - 1] != GeneratedStream.ByteAt(total + read - 1);
            total += read;
        }

        Assert.Equal(size, total);
        Assert.False(mismatch);
        await stream.DisposeAsync();
        Assert.True(body.IsDisposed);
    }

    [Fact]
    public async Task FileExistsInImage_Status200_ReturnsTrue()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => new HttpResponseMessage(HttpStatusCode.OK));

        Assert.True(await harness.Client.FileExistsInImageAsync(Uuid, "/etc/passwd", Ct));
        Assert.Equal($"HEAD /v1/inspect/{Uuid}/download?path=/etc/passwd", harness.SingleRequestLine);
    }

    [Fact]
    public async Task FileExistsInImage_Status404_ReturnsFalse()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => new HttpResponseMessage(HttpStatusCode.NotFound));

        Assert.False(await harness.Client.FileExistsInImageAsync(Uuid, "/missing", Ct));
    }

    [Fact]
    public async Task FileExistsInImage_Status500_ThrowsInsteadOfFalse()
    {
        using var harness = new ClientHarness(o => o.MaxRetries = 0);
        harness.Respond(_ => new HttpResponseMessage(HttpStatusCode.InternalServerError));

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.FileExistsInImageAsync(Uuid, "/x", Ct));

        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.Equal(500, error.StatusCode);
        Assert.Equal($"HTTP 500 Internal Server Error from HEAD /inspect/{Uuid}/download?path=/x", error.Message);
    }
}
