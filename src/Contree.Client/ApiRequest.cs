namespace Contree.Client;

/// <summary>
/// One call of the Contree API before it is sent: method, path and query relative to <c>/v1</c> (already escaped),
/// whether it may be retried, and a factory for its body (called once per attempt).
/// </summary>
internal sealed record ApiRequest(HttpMethod Method, string PathAndQuery, bool Retryable)
{
    /// <summary>Creates the body for one attempt; null for bodiless requests (no Content-Type is sent then).</summary>
    public Func<HttpContent>? Content { get; init; }

    /// <summary>True when a 404 is an expected answer handed to the caller instead of an error (HEAD probes, E12).</summary>
    public bool NotFoundIsResult { get; init; }

    /// <summary>True when the success handler keeps the response (a streamed download) and disposes it later.</summary>
    public bool TransfersResponse { get; init; }

    /// <summary>"GET /operations/x": how the request is named in logs and error messages.</summary>
    public string Display => $"{Method.Method} /{PathAndQuery}";

    /// <summary>GET, HEAD and DELETE, plus the tag PATCH, are idempotent and may be retried (brief; RFC 9110 9.2.2).</summary>
    public static ApiRequest Get(string pathAndQuery) => new(HttpMethod.Get, pathAndQuery, Retryable: true);

    public static ApiRequest Head(string pathAndQuery) => new(HttpMethod.Head, pathAndQuery, Retryable: true) { NotFoundIsResult = true };

    public static ApiRequest Delete(string pathAndQuery) => new(HttpMethod.Delete, pathAndQuery, Retryable: true);
}
