using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Contree.Core.Errors;
using Contree.Core.References;

namespace Contree.Engine.Registry;

internal sealed partial class RegistryClient
{
    /// <summary>
    /// Basic: send the request's credentials. Bearer (distribution token auth spec): GET
    /// <c>realm?service=…&amp;scope=repository:&lt;name&gt;:pull</c>, with Basic credentials when given, and use
    /// <c>token</c> (or <c>access_token</c>) for every later request of this import.
    /// </summary>
    private async Task AnswerChallengeAsync(AuthChallenge? challenge, CancellationToken cancellationToken)
    {
        if (challenge is null)
        {
            throw RejectedOrRequired();
        }

        if (challenge.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase))
        {
            if (_credentials.IsAnonymous)
            {
                throw RejectedOrRequired();
            }

            _authorization = new AuthenticationHeaderValue("Basic", BasicValue());
            return;
        }

        var realm = challenge.Get("realm");
        if (realm is null || !Uri.TryCreate(realm, UriKind.Absolute, out var realmUri)
            || (realmUri.Scheme != Uri.UriSchemeHttps && realmUri.Scheme != Uri.UriSchemeHttp))
        {
            throw ContreeException.Unavailable($"registry {Registry} sent a Bearer challenge without a usable realm: '{realm}'");
        }

        var query = new List<string>();
        if (challenge.Get("service") is { } service)
        {
            query.Add("service=" + Uri.EscapeDataString(service));
        }

        query.Add("scope=" + Uri.EscapeDataString(challenge.Get("scope") ?? $"repository:{_reference.Repository}:pull"));
        var tokenUri = new UriBuilder(realmUri) { Query = string.Join('&', query) }.Uri;

        using var request = new HttpRequestMessage(HttpMethod.Get, tokenUri);
        if (!_credentials.IsAnonymous)
        {
            // Credentials over plain HTTP only to loopback or explicitly insecure hosts, like the registry itself.
            if (tokenUri.Scheme == Uri.UriSchemeHttp
                && !OciReference.IsLoopbackHost(tokenUri.Authority)
                && !_options.InsecureRegistries.Any(r => string.Equals(r, tokenUri.Authority, StringComparison.OrdinalIgnoreCase)))
            {
                throw ContreeException.Unauthorized(
                    $"registry {Registry} asks for credentials at {tokenUri.GetLeftPart(UriPartial.Path)} over plain HTTP; refusing to send them");
            }

            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", BasicValue());
        }

        using var response = await SendRawAsync(request, cancellationToken);
        if (response.StatusCode is HttpStatusCode.Unauthorized or HttpStatusCode.Forbidden)
        {
            throw RejectedOrRequired();
        }

        if (!response.IsSuccessStatusCode)
        {
            throw ContreeException.Unavailable(
                $"token endpoint {tokenUri.GetLeftPart(UriPartial.Path)} of registry {Registry} answered {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var body = await ReadBoundedAsync(response.Content, _options.MaxDocumentBytes, "token response", cancellationToken);
        TokenResponse? token;
        try
        {
            token = JsonSerializer.Deserialize(body, OciJsonContext.Default.TokenResponse);
        }
        catch (JsonException ex)
        {
            throw ContreeException.Unavailable($"token endpoint of registry {Registry} sent an invalid answer: {ErrorCause.Json(ex)}", ex);
        }

        var value = token?.Token is { Length: > 0 } t ? t : token?.AccessToken;
        if (string.IsNullOrEmpty(value))
        {
            throw ContreeException.Unavailable($"token endpoint of registry {Registry} returned no token");
        }

        _authorization = new AuthenticationHeaderValue("Bearer", value);
    }

    private string BasicValue() =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{_credentials.Username}:{_credentials.Password}"));
}
