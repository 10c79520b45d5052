using System.Net;
using System.Text;
using Contree.Core.Errors;
using Contree.Core.Json;
using Contree.Core.Models;

namespace Contree.Client;

/// <summary>Inspecting images: by tag or UUID (E5, E6), directory listings (E7, E8), file download and probe (E9, E10).</summary>
internal sealed partial class ContreeClient
{
    public Task<Image> GetImageByTagAsync(string tag, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(tag))
        {
            throw ContreeException.InvalidArgument("Tag must not be empty.");
        }

        // E5: note the slash after "inspect"; the backend may redirect to /inspect/{uuid}/.
        var request = ApiRequest.Get("inspect/?tag=" + ApiPaths.QueryValue(tag));
        return SendAsync(request, (response, ct) => ReadJsonAsync(response, request, ContreeJsonContext.Default.Image, ct), cancellationToken);
    }

    public Task<Image> GetImageAsync(string imageUuid, CancellationToken cancellationToken = default)
    {
        var request = ApiRequest.Get($"inspect/{ImageSegment(imageUuid)}/");
        return SendAsync(request, (response, ct) => ReadJsonAsync(response, request, ContreeJsonContext.Default.Image, ct), cancellationToken);
    }

    public Task<DirectoryList> ListDirectoryAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        var request = ApiRequest.Get(InspectPath(imageUuid, "list", path));
        return SendAsync(request, (response, ct) => ReadJsonAsync(response, request, ContreeJsonContext.Default.DirectoryList, ct), cancellationToken);
    }

    public Task<string> ListDirectoryTextAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        // E8: "text" is sent with an empty value.
        var request = ApiRequest.Get(InspectPath(imageUuid, "list", path) + "&text=");
        return SendAsync(request, (response, ct) => ReadTextAsync(response, request, ct), cancellationToken);
    }

    public Task<Stream> DownloadFileAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        var request = ApiRequest.Get(InspectPath(imageUuid, "download", path)) with { TransfersResponse = true };
        var source = $"{_baseUrl}/{request.PathAndQuery}";

        // The status is checked by the pipeline before this runs, so errors surface here and not mid-stream. The
        // concurrency slot is released once the headers are in; the stream owns the response from now on.
        return SendAsync<Stream>(
            request,
            async (response, ct) => new ResponseStream(response, await response.Content.ReadAsStreamAsync(ct), _requestTimeout, source),
            cancellationToken);
    }

    public Task<bool> FileExistsInImageAsync(string imageUuid, string path, CancellationToken cancellationToken = default) =>
        ProbeAsync(ApiRequest.Head(InspectPath(imageUuid, "download", path)), cancellationToken);

    /// <summary>
    /// HEAD probes (E10, E13, E14): 2xx is true, 404 is false, anything else is an error — an outage must not read
    /// as "absent".
    /// </summary>
    private Task<bool> ProbeAsync(ApiRequest request, CancellationToken cancellationToken) =>
        SendAsync(
            request,
            (response, _) => response.StatusCode switch
            {
                HttpStatusCode.NotFound => Task.FromResult(false),
                >= HttpStatusCode.OK and < HttpStatusCode.Ambiguous => Task.FromResult(true),
                var status => throw new ContreeException(
                    ContreeErrorKind.Internal,
                    $"Unexpected HTTP {(int)status} {response.ReasonPhrase} from {request.Display}",
                    (int)status),
            },
            cancellationToken);

    private static string ImageSegment(string imageUuid) => Uri.EscapeDataString(ApiPaths.Id(imageUuid, "image UUID"));

    private static string InspectPath(string imageUuid, string action, string path)
    {
        var query = new StringBuilder();
        ApiPaths.Append(query, "path", ApiPaths.ImagePath(path));
        return $"inspect/{ImageSegment(imageUuid)}/{action}{query}";
    }
}
