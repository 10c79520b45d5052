using System.Net;
using System.Net.Http.Headers;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Client;

/// <summary>Uploaded files: upload (E11), lookup by hash (E12) and existence probes (E13, E14).</summary>
internal sealed partial class ContreeClient
{
    private static readonly MediaTypeHeaderValue OctetStreamMediaType = new("application/octet-stream");

    public Task<FileResponse> UploadFileAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        if (!content.CanRead)
        {
            throw ContreeException.InvalidArgument("Upload content must be a readable stream.");
        }

        // Streamed from the caller's stream, never buffered in memory. The stream can be read only once, so
        // the upload is never retried; the caller still owns and disposes it.
        var request = new ApiRequest(HttpMethod.Post, "files", Retryable: false)
        {
            Content = () =>
            {
                var body = new StreamContent(new NonDisposingStream(content), 64 * 1024);
                body.Headers.ContentType = OctetStreamMediaType;
                return body;
            },
        };
        return SendAsync(request, (response, ct) => ReadJsonAsync(response, request, ContreeJsonContext.Default.FileResponse, ct), cancellationToken);
    }

    public Task<FileResponse?> GetFileByHashAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var request = ApiRequest.Get("files?sha256=" + ApiPaths.Sha256(sha256)) with { NotFoundIsResult = true };
        return SendAsync(
            request,
            async (response, ct) => response.StatusCode == HttpStatusCode.NotFound
                ? null
                : await ReadJsonAsync(response, request, ContreeJsonContext.Default.FileResponse, ct),
            cancellationToken);
    }

    public Task<bool> FileExistsByHashAsync(string sha256, CancellationToken cancellationToken = default) =>
        ProbeAsync(ApiRequest.Head("files?sha256=" + ApiPaths.Sha256(sha256)), cancellationToken);

    public Task<bool> FileExistsByUuidAsync(string fileUuid, CancellationToken cancellationToken = default) =>
        ProbeAsync(ApiRequest.Head("files?uuid=" + ApiPaths.QueryValue(ApiPaths.Id(fileUuid, "file UUID"))), cancellationToken);
}
