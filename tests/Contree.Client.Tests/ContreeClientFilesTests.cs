using System.Net;
using System.Text;
using Contree.Core.Errors;
using Contree.Tests.Common;

namespace Contree.Client.Tests;

public sealed class ContreeClientFilesTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task UploadFile_Bytes_PostsOctetStreamAndReturnsFile()
    {
        using var harness = new ClientHarness();
        harness.RespondJson(Samples.FileResponse);
        using var content = new MemoryStream(Encoding.UTF8.GetBytes("hello world"));

        var file = await harness.Client.UploadFileAsync(content, Ct);

        Assert.Equal("file-123", file.Uuid);
        Assert.Equal("abc123", file.Sha256);
        var request = Assert.Single(harness.Requests);
        Assert.Equal("POST /v1/files", $"{request.Method} {request.Uri.PathAndQuery}");
        Assert.Equal("application/octet-stream", request.ContentType);
        Assert.Equal("hello world", request.BodyText);
        Assert.True(content.CanRead, "the caller's stream must stay open");
    }

    [Fact]
    public async Task UploadFile_NonSeekableStream_IsStreamedWithoutBuffering()
    {
        const long size = 8L * 1024 * 1024;
        var source = new GeneratedStream(size);
        var handler = new StreamingUploadHandler(source);
        using var client = new ContreeClient(new HttpClient(handler), new ContreeClientOptions { BaseUrl = "https://api.example.com" });

        var file = await client.UploadFileAsync(source, Ct);

        Assert.Equal("file-123", file.Uuid);
        Assert.True(handler.ContentWasStreamContent);
        Assert.Null(handler.DeclaredLength);
        Assert.True(handler.ProducedAfterFirstChunk < size / 8, $"the first chunk needed {handler.ProducedAfterFirstChunk} bytes of {size} read from the source");
        Assert.Equal(size, handler.ReceivedBytes);
        Assert.False(source.IsDisposed, "the caller owns the upload stream");
    }

    [Fact]
    public async Task UploadFile_ServerError_IsNotRetried()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"error": "storage full"}""", HttpStatusCode.ServiceUnavailable);

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.UploadFileAsync(new MemoryStream([1, 2, 3]), Ct));

        Assert.Equal("storage full", error.Message);
        Assert.Single(harness.Requests);
    }

    [Fact]
    public async Task GetFileByHash_Found_ReturnsFileAndLowercasesHash()
    {
        using var harness = new ClientHarness();
        harness.RespondJson(Samples.FileResponse);

        var file = await harness.Client.GetFileByHashAsync(Samples.Sha256.ToUpperInvariant(), Ct);

        Assert.NotNull(file);
        Assert.Equal("file-123", file.Uuid);
        Assert.Equal($"GET /v1/files?sha256={Samples.Sha256}", harness.SingleRequestLine);
    }

    [Fact]
    public async Task GetFileByHash_NotFound_ReturnsNull()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"error": "not found"}""", HttpStatusCode.NotFound);

        Assert.Null(await harness.Client.GetFileByHashAsync(Samples.Sha256, Ct));
    }

    [Fact]
    public async Task GetFileByHash_ServerError_ThrowsWithStatus500()
    {
        using var harness = new ClientHarness(o => o.MaxRetries = 0);
        harness.RespondJson("""{"error": "database down"}""", HttpStatusCode.InternalServerError);

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetFileByHashAsync(Samples.Sha256, Ct));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal("database down", error.Message);
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("zz86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08")]
    public async Task FileExistsByHash_NotASha256_ThrowsInvalidArgument(string sha256)
    {
        using var harness = new ClientHarness();

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.FileExistsByHashAsync(sha256, Ct));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("sha256", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Requests);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, true)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public async Task FileExistsByHash_Status_MapsToBool(HttpStatusCode status, bool expected)
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => new HttpResponseMessage(status));

        Assert.Equal(expected, await harness.Client.FileExistsByHashAsync(Samples.Sha256, Ct));
        Assert.Equal($"HEAD /v1/files?sha256={Samples.Sha256}", harness.SingleRequestLine);
    }

    [Theory]
    [InlineData(HttpStatusCode.OK, true)]
    [InlineData(HttpStatusCode.NotFound, false)]
    public async Task FileExistsByUuid_Status_MapsToBool(HttpStatusCode status, bool expected)
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => new HttpResponseMessage(status));

        Assert.Equal(expected, await harness.Client.FileExistsByUuidAsync("file-123", Ct));
        Assert.Equal("HEAD /v1/files?uuid=file-123", harness.SingleRequestLine);
    }

    [Fact]
    public async Task FileExistsByUuid_Outage_ThrowsUnavailable()
    {
        using var harness = new ClientHarness(o => o.MaxRetries = 1);
        harness.Respond(_ => new HttpResponseMessage(HttpStatusCode.BadGateway));

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.FileExistsByUuidAsync("file-123", Ct));

        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.Equal(2, harness.Requests.Count);
    }

    /// <summary>Reads the upload body chunk by chunk and notes how much the source had produced at the first chunk.</summary>
    private sealed class StreamingUploadHandler(GeneratedStream source) : HttpMessageHandler
    {
        public bool ContentWasStreamContent { get; private set; }

        public long? DeclaredLength { get; private set; }

        public long ProducedAfterFirstChunk { get; private set; } = -1;

        public long ReceivedBytes { get; private set; }

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            ContentWasStreamContent = request.Content is StreamContent;
            DeclaredLength = request.Content!.Headers.ContentLength;
            await using var body = await request.Content.ReadAsStreamAsync(cancellationToken);
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await body.ReadAsync(buffer, cancellationToken)) > 0)
            {
                if (ProducedAfterFirstChunk < 0)
                {
                    ProducedAfterFirstChunk = source.Produced;
                }

                ReceivedBytes += read;
            }

            return MockHttpHandler.Json(HttpStatusCode.Created, Samples.FileResponse);
        }
    }
}
