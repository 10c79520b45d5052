using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.RegularExpressions;
using Contree.Core.Errors;
using Contree.Core.References;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Registry;

/// <summary>
/// Checks a username and token against a registry with the distribution API's auth discovery
/// (distribution.github.io/distribution/spec/auth/token/): GET /v2/ → 401 with a <c>Bearer</c> challenge → GET the
/// realm with HTTP Basic credentials (valid ⇔ 200); a <c>Basic</c> challenge → GET /v2/ again with Basic credentials.
/// Plain HTTP is used only for loopback registries and those listed in <see cref="ContreeMcpOptions.InsecureRegistries"/>.
/// </summary>
internal sealed partial class RegistryAuthenticator(IHttpClientFactory httpClientFactory, IOptions<ContreeMcpOptions> options)
{
    /// <summary>Name of the <see cref="HttpClient"/> used for registries.</summary>
    public const string HttpClientName = "registry";

    public async Task<RegistryValidation> ValidateAsync(RegistryLocation location, string username, string token, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(location);
        var registry = location.Registry;
        var baseUri = new Uri($"{(IsInsecure(registry) ? "http" : "https")}://{location.ApiHost}/");
        var v2 = new Uri(baseUri, "v2/");
        var basic = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{username}:{token}")));
        var client = httpClientFactory.CreateClient(HttpClientName);

        using var discovery = await SendAsync(client, v2, null, registry, cancellationToken);
        if (discovery.StatusCode == HttpStatusCode.OK)
        {
            return RegistryValidation.NoAuthRequired;
        }

        if (discovery.StatusCode != HttpStatusCode.Unauthorized)
        {
            throw Unexpected(registry, v2, discovery.StatusCode);
        }

        var challenge = discovery.Headers.WwwAuthenticate.FirstOrDefault();
        if (challenge is not null && challenge.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            var parameters = ParseParameters(challenge.Parameter);
            if (!parameters.TryGetValue("realm", out var realmText) || !Uri.TryCreate(realmText, UriKind.Absolute, out var realm))
            {
                throw ContreeException.Unavailable($"registry '{registry}' sent a Bearer challenge without a usable realm");
            }

            if (realm.Scheme != Uri.UriSchemeHttps && !(realm.Scheme == Uri.UriSchemeHttp && IsInsecure(realm.Authority)))
            {
                throw ContreeException.Unavailable($"registry '{registry}' asks for credentials to be sent to '{realm.GetLeftPart(UriPartial.Path)}' without TLS; refusing");
            }

            var query = new List<string>();
            if (parameters.TryGetValue("service", out var service))
            {
                query.Add("service=" + Uri.EscapeDataString(service));
            }

            if (location.Repository is not null)
            {
                query.Add("scope=" + Uri.EscapeDataString($"repository:{location.Repository}:pull"));
            }

            var tokenUri = new UriBuilder(realm) { Query = string.Join('&', query) }.Uri;
            using var tokenResponse = await SendAsync(client, tokenUri, basic, registry, cancellationToken);
            return Judge(registry, tokenUri, tokenResponse.StatusCode);
        }

        if (challenge is not null && challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            using var basicResponse = await SendAsync(client, v2, basic, registry, cancellationToken);
            return Judge(registry, v2, basicResponse.StatusCode);
        }

        throw ContreeException.Unavailable($"registry '{registry}' answered 401 without a Bearer or Basic challenge; cannot check credentials");
    }

    /// <summary>The auth parameters of a challenge (RFC 7235 §2.1): <c>realm="…",service="…"</c>.</summary>
    internal static Dictionary<string, string> ParseParameters(string? parameter)
    {
        var result = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in AuthParameter().Matches(parameter ?? ""))
        {
            result.TryAdd(match.Groups["key"].Value, match.Groups["quoted"].Success ? match.Groups["quoted"].Value : match.Groups["token"].Value);
        }

        return result;
    }

    private static RegistryValidation Judge(string registry, Uri uri, HttpStatusCode status) => status switch
    {
        HttpStatusCode.OK => RegistryValidation.Valid,
        HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden => RegistryValidation.Invalid,
        _ => throw Unexpected(registry, uri, status),
    };

    private static ContreeException Unexpected(string registry, Uri uri, HttpStatusCode status) =>
        ContreeException.Unavailable($"registry '{registry}' answered HTTP {(int)status} to GET {uri.GetLeftPart(UriPartial.Path)}");

    private static async Task<HttpResponseMessage> SendAsync(HttpClient client, Uri uri, AuthenticationHeaderValue? authorization, string registry, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, uri);
        request.Headers.Authorization = authorization;
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
        }
        catch (HttpRequestException ex)
        {
            throw ContreeException.Unavailable($"cannot reach registry '{registry}' at {uri.GetLeftPart(UriPartial.Authority)}: {ErrorCause.Describe(ex)}", ex);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ContreeException.Unavailable($"registry '{registry}' did not answer in time at {uri.GetLeftPart(UriPartial.Authority)}", ex);
        }
    }

    private bool IsInsecure(string hostWithPort) =>
        OciReference.IsLoopbackHost(hostWithPort)
        || options.Value.InsecureRegistries.Any(r => string.Equals(r, hostWithPort, StringComparison.OrdinalIgnoreCase));

    [GeneratedRegex("""(?<key>[A-Za-z0-9_\-]+)\s*=\s*(?:"(?<quoted>[^"]*)"|(?<token>[^\s,]+))""")]
    private static partial Regex AuthParameter();
}
