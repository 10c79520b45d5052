using System.Net;
using System.Net.Http.Headers;

namespace Contree.Tests.Common;

/// <summary>
/// Pushes test images to a registry over the distribution API (distribution-spec "Pushing blobs": POST
/// uploads, then PUT &lt;Location&gt;&amp;digest=…; "Pushing manifests": PUT with the manifest's media type).
/// The single-request monolithic POST is not supported by distribution 2.8.
/// </summary>
public static class OciRegistryPusher
{
    public static async Task PushAsync(Uri registry, string repository, string tag, OciTestImage image, AuthenticationHeaderValue? authorization = null, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        await PushImageAsync(http, registry, repository, image, authorization, cancellationToken);
        await PushManifestAsync(http, registry, repository, tag, image.Manifest, authorization, cancellationToken);
    }

    /// <summary>Pushes every platform's image by digest, then the index under <paramref name="tag"/>.</summary>
    public static async Task PushIndexAsync(Uri registry, string repository, string tag, OciTestIndex index, AuthenticationHeaderValue? authorization = null, CancellationToken cancellationToken = default)
    {
        using var http = new HttpClient();
        foreach (var image in index.Images)
        {
            await PushImageAsync(http, registry, repository, image, authorization, cancellationToken);
            await PushManifestAsync(http, registry, repository, image.Manifest.Digest, image.Manifest, authorization, cancellationToken);
        }

        await PushManifestAsync(http, registry, repository, tag, index.Index, authorization, cancellationToken);
    }

    private static async Task PushImageAsync(HttpClient http, Uri registry, string repository, OciTestImage image, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken)
    {
        foreach (var blob in image.Blobs)
        {
            await PushBlobAsync(http, registry, repository, blob, authorization, cancellationToken);
        }
    }

    public static async Task PushBlobAsync(HttpClient http, Uri registry, string repository, OciBlob blob, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken = default)
    {
        using var start = new HttpRequestMessage(HttpMethod.Post, new Uri(registry, $"v2/{repository}/blobs/uploads/"));
        start.Headers.Authorization = authorization;
        using var started = await http.SendAsync(start, cancellationToken);
        if (started.StatusCode != HttpStatusCode.Accepted || started.Headers.Location is null)
        {
            throw new InvalidOperationException($"starting the upload of {blob.Digest} to {repository} answered {(int)started.StatusCode}");
        }

        var location = started.Headers.Location.IsAbsoluteUri ? started.Headers.Location : new Uri(registry, started.Headers.Location);
        var separator = location.Query.Length > 0 ? "&" : "?";
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(location + separator + "digest=" + Uri.EscapeDataString(blob.Digest)));
        put.Headers.Authorization = authorization;
        put.Content = new ByteArrayContent(blob.Data);
        put.Content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var done = await http.SendAsync(put, cancellationToken);
        if (done.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"uploading {blob.Digest} to {repository} answered {(int)done.StatusCode}: {await done.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }

    public static async Task PushManifestAsync(HttpClient http, Uri registry, string repository, string reference, OciBlob manifest, AuthenticationHeaderValue? authorization, CancellationToken cancellationToken = default)
    {
        using var put = new HttpRequestMessage(HttpMethod.Put, new Uri(registry, $"v2/{repository}/manifests/{reference}"));
        put.Headers.Authorization = authorization;
        put.Content = new ByteArrayContent(manifest.Data);
        put.Content.Headers.ContentType = new MediaTypeHeaderValue(manifest.MediaType);
        using var done = await http.SendAsync(put, cancellationToken);
        if (done.StatusCode != HttpStatusCode.Created)
        {
            throw new InvalidOperationException($"putting manifest {reference} of {repository} answered {(int)done.StatusCode}: {await done.Content.ReadAsStringAsync(cancellationToken)}");
        }
    }
}
