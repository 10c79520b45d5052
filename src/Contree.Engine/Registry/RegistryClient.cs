using System.Net;
using System.Net.Http.Headers;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Core.References;

namespace Contree.Engine.Registry;

/// <summary>
/// Talks to one repository of an OCI distribution registry for one import
/// (https://github.com/opencontainers/distribution-spec/blob/main/spec.md "Pulling manifests" / "Pulling blobs").
/// Holds the authorization obtained from the first challenge and reuses it for every later request.
/// </summary>
internal sealed partial class RegistryClient
{
    private const int MaxRedirects = 5;

    private readonly HttpClient _http;
    private readonly OciReference _reference;
    private readonly ImageCredentials _credentials;
    private readonly ImporterOptions _options;
    private readonly Uri _baseUri;
    private AuthenticationHeaderValue? _authorization;

    public RegistryClient(HttpClient http, OciReference reference, ImageCredentials credentials, ImporterOptions options)
    {
        _http = http;
        _reference = reference;
        _credentials = credentials;
        _options = options;
        _baseUri = reference.ApiBaseUri(options.InsecureRegistries);
    }

    private string Registry => _reference.Registry;

    /// <summary>GET /v2/&lt;name&gt;/manifests/&lt;reference&gt; with the full Accept list.</summary>
    public async Task<RegistryManifest> GetManifestAsync(string reference, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(_baseUri, $"v2/{_reference.Repository}/manifests/{reference}");
        using var response = await SendAsync(uri, accept: true, cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotFound)
        {
            throw ContreeException.NotFound($"image {_reference} not found in registry {Registry} (manifest '{reference}' is unknown)");
        }

        EnsureSuccess(response, $"manifest '{reference}' of {_reference.Repository}");
        var body = await ReadBoundedAsync(response.Content, _options.MaxDocumentBytes, $"manifest '{reference}'", cancellationToken);
        var digest = response.Headers.TryGetValues("Docker-Content-Digest", out var values) ? values.FirstOrDefault() : null;
        return new RegistryManifest(body, response.Content.Headers.ContentType?.MediaType, digest);
    }

    /// <summary>GET /v2/&lt;name&gt;/blobs/&lt;digest&gt;, following redirects to storage. The caller disposes the response.</summary>
    public async Task<HttpResponseMessage> GetBlobAsync(string digest, CancellationToken cancellationToken = default)
    {
        var uri = new Uri(_baseUri, $"v2/{_reference.Repository}/blobs/{digest}");
        var response = await SendAsync(uri, accept: false, cancellationToken);
        try
        {
            if (response.StatusCode == HttpStatusCode.NotFound)
            {
                throw ContreeException.NotFound($"blob {digest} of image {_reference} not found in registry {Registry}");
            }

            EnsureSuccess(response, $"blob {digest}");
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }

    /// <summary>A small blob (a config) read into memory and checked against its digest.</summary>
    public async Task<byte[]> GetBlobBytesAsync(string digest, CancellationToken cancellationToken = default)
    {
        using var response = await GetBlobAsync(digest, cancellationToken);
        var body = await ReadBoundedAsync(response.Content, _options.MaxDocumentBytes, $"blob {digest}", cancellationToken);
        if (OciDigest.Of(body) != digest)
        {
            throw ContreeException.InvalidArgument($"registry {Registry} sent blob {digest} with a different digest {OciDigest.Of(body)}");
        }

        return body;
    }

    internal static async Task<byte[]> ReadBoundedAsync(HttpContent content, long maxBytes, string what, CancellationToken cancellationToken)
    {
        if (content.Headers.ContentLength is { } length && length > maxBytes)
        {
            throw ContreeException.InvalidArgument($"{what} is {length} bytes, over the limit of {maxBytes} bytes");
        }

        await using var stream = await content.ReadAsStreamAsync(cancellationToken);
        return await ImageDocuments.ReadBoundedAsync(stream, maxBytes, what, cancellationToken);
    }

    private void EnsureSuccess(HttpResponseMessage response, string what)
    {
        if (response.IsSuccessStatusCode)
        {
            return;
        }

        var status = (int)response.StatusCode;
        var kind = ContreeException.KindFromStatus(status);
        throw new ContreeException(
            kind == ContreeErrorKind.Internal ? ContreeErrorKind.Unavailable : kind,
            $"registry {Registry} answered {status} {response.ReasonPhrase} for {what}",
            status);
    }

    /// <summary>
    /// Sends a GET with the current authorization; on a 401 answers the challenge once and retries. Redirects are
    /// followed here so the registry's Authorization header is only sent back to the registry's own host.
    /// </summary>
    private async Task<HttpResponseMessage> SendAsync(Uri uri, bool accept, CancellationToken cancellationToken)
    {
        var challenged = false;
        while (true)
        {
            var response = await SendFollowingRedirectsAsync(uri, accept, cancellationToken);
            if (response.StatusCode == HttpStatusCode.Unauthorized && !challenged)
            {
                challenged = true;
                var challenge = AuthChallenge.Select(response.Headers.WwwAuthenticate);
                response.Dispose();
                await AnswerChallengeAsync(challenge, cancellationToken);
                continue;
            }

            if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
            {
                var status = response.StatusCode;
                response.Dispose();
                throw status == HttpStatusCode.Forbidden
                    ? ContreeException.Unauthorized($"registry {Registry} denied access to {_reference.Repository} ({(_credentials.IsAnonymous ? "anonymous" : "credentials of " + _credentials.Username)}): run registry_auth with an account that may pull it")
                    : RejectedOrRequired();
            }

            return response;
        }
    }

    private ContreeException RejectedOrRequired() => _credentials.IsAnonymous
        ? ContreeException.Unauthorized($"registry {Registry} requires authentication for {_reference.Repository}: run registry_auth to store credentials, then import again")
        : ContreeException.Unauthorized($"registry {Registry} rejected the credentials of user {_credentials.Username} for {_reference.Repository}: run registry_auth with valid credentials");

    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(Uri uri, bool accept, CancellationToken cancellationToken)
    {
        var current = uri;
        for (var hop = 0; ; hop++)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, current);
            if (accept)
            {
                foreach (var mediaType in OciMediaTypes.ManifestAccept)
                {
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(mediaType));
                }
            }

            // Credentials go only to the registry's own origin, never to the storage a blob redirects to.
            if (_authorization is not null && SameOrigin(current, _baseUri))
            {
                request.Headers.Authorization = _authorization;
            }

            var response = await SendRawAsync(request, cancellationToken);
            var status = (int)response.StatusCode;
            if (status is 301 or 302 or 303 or 307 or 308 && response.Headers.Location is { } location)
            {
                response.Dispose();
                if (hop >= MaxRedirects)
                {
                    throw ContreeException.Unavailable($"registry {Registry} redirected more than {MaxRedirects} times for {uri.AbsolutePath}");
                }

                var next = location.IsAbsoluteUri ? location : new Uri(current, location);
                if (next.Scheme != Uri.UriSchemeHttps && next.Scheme != Uri.UriSchemeHttp)
                {
                    throw ContreeException.InvalidArgument($"registry {Registry} redirected to an unsupported URL scheme '{next.Scheme}'");
                }

                // Never downgrade: content fetched over HTTPS must not continue over plain HTTP.
                if (current.Scheme == Uri.UriSchemeHttps && next.Scheme == Uri.UriSchemeHttp)
                {
                    throw ContreeException.Unavailable($"registry {Registry} redirected {uri.AbsolutePath} from HTTPS to plain HTTP ({next.GetLeftPart(UriPartial.Authority)}); refusing to follow");
                }

                current = next;

                continue;
            }

            return response;
        }
    }

    private async Task<HttpResponseMessage> SendRawAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        try
        {
            return await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw ContreeException.Unavailable($"cannot reach registry {Registry} at {request.RequestUri?.GetLeftPart(UriPartial.Authority)}: {ErrorCause.Describe(ex)}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ContreeException.Unavailable($"registry {Registry} did not answer in time ({request.RequestUri?.GetLeftPart(UriPartial.Path)})", ex);
        }
    }

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;
}
