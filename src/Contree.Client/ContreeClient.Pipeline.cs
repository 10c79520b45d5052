using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using Contree.Core.Errors;

namespace Contree.Client;

/// <summary>The request pipeline: concurrency slot, timeout, redirects, status check and retries.</summary>
internal sealed partial class ContreeClient
{
    private const int MaxRedirects = 5;

    /// <summary>
    /// Sends <paramref name="request"/> until it succeeds or fails for good and hands a successful response (status
    /// below 400, or 404 when <see cref="ApiRequest.NotFoundIsResult"/>) to <paramref name="onSuccess"/>, which runs
    /// inside the attempt's slot and timeout. The response is disposed afterwards unless
    /// <see cref="ApiRequest.TransfersResponse"/> is set, in which case <paramref name="onSuccess"/> took ownership.
    /// </summary>
    private async Task<T> SendAsync<T>(
        ApiRequest request,
        Func<HttpResponseMessage, CancellationToken, Task<T>> onSuccess,
        CancellationToken cancellationToken = default)
    {
        var maxAttempts = request.Retryable ? _maxRetries + 1 : 1;
        for (var attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ContreeException failure;
            TimeSpan? retryAfter = null;

            await _gate.WaitAsync(cancellationToken);
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_requestTimeout);
                HttpResponseMessage? response = null;
                var started = Stopwatch.GetTimestamp();
                try
                {
                    Log.Sending(_logger, request.Method.Method, request.PathAndQuery);
                    response = await SendFollowingRedirectsAsync(request, timeout.Token);
                    var status = (int)response.StatusCode;
                    Log.Received(_logger, request.Method.Method, request.PathAndQuery, status, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    if (IsRedirect(response.StatusCode))
                    {
                        // Only GET and HEAD follow redirects, and only MaxRedirects of them; anything else would
                        // read an empty redirect body as the answer.
                        throw new ContreeException(
                            ContreeErrorKind.Internal,
                            $"Contree API answered {request.Display} with a redirect (HTTP {status}) that was not followed: too many redirects, or a redirect of a {request.Method.Method} request",
                            status);
                    }

                    if (status < 400 || (status == 404 && request.NotFoundIsResult))
                    {
                        var result = await onSuccess(response, timeout.Token);
                        if (request.TransfersResponse)
                        {
                            response = null;
                        }

                        return result;
                    }

                    failure = new ContreeException(ContreeException.KindFromStatus(status), await ReadErrorMessageAsync(response, request, timeout.Token), status);
                    if (IsRejectedUnprocessed(response.StatusCode))
                    {
                        // The API refused the request before doing anything with it, so even a POST may be sent again.
                        maxAttempts = _maxRetries + 1;
                    }

                    if (attempt >= maxAttempts || !IsTransientStatus(response.StatusCode))
                    {
                        throw failure;
                    }

                    retryAfter = RetryAfter(response);
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    // Not the caller's cancellation: our per-attempt timeout, or HttpClient.Timeout of an injected client.
                    Log.Failed(_logger, request.Method.Method, request.PathAndQuery, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, "timeout");
                    failure = ContreeException.Unavailable(
                        $"Contree API at {_baseUrl} did not answer {request.Display} within {_requestTimeout.TotalSeconds:0.###} s{NotRetriedNote(request)}", ex);
                    if (attempt >= maxAttempts)
                    {
                        throw failure;
                    }
                }
                catch (Exception ex) when (ex is HttpRequestException or IOException && !cancellationToken.IsCancellationRequested)
                {
                    // The log gets the OS's words; the agent a reason without exception text.
                    Log.Failed(_logger, request.Method.Method, request.PathAndQuery, (long)Stopwatch.GetElapsedTime(started).TotalMilliseconds, Scrub(TransportReason(ex)));
                    failure = ContreeException.Unavailable(
                        $"Contree API at {_baseUrl} is unreachable: {ErrorCause.Describe(ex)} ({request.Display}){NotRetriedNote(request)}", ex);
                    if (attempt >= maxAttempts)
                    {
                        throw failure;
                    }
                }
                finally
                {
                    response?.Dispose();
                    _gate.Release();
                }
            }

            var delay = BackoffDelay(attempt, retryAfter);
            Log.Retrying(_logger, request.Method.Method, request.PathAndQuery, (long)delay.TotalMilliseconds, failure.Message, attempt + 1, maxAttempts);
            await Task.Delay(delay, _timeProvider, cancellationToken);
        }
    }

    /// <summary>
    /// Sends one attempt. Redirects of GET and HEAD are followed here (E5 may redirect to
    /// <c>/inspect/{uuid}/</c>); the token goes only to the API's own origin.
    /// </summary>
    private async Task<HttpResponseMessage> SendFollowingRedirectsAsync(ApiRequest request, CancellationToken cancellationToken)
    {
        var uri = new Uri(_baseUri, request.PathAndQuery);
        var followsRedirects = request.Method == HttpMethod.Get || request.Method == HttpMethod.Head;
        for (var hop = 0; ; hop++)
        {
            // Not disposed here: the response refers to it, and its content is a byte array or a non-owning view of
            // the caller's upload stream, so there is nothing to release.
            var message = new HttpRequestMessage(request.Method, uri) { Content = request.Content?.Invoke() };
            message.Headers.TryAddWithoutValidation("User-Agent", _userAgent);
            if (IsSameOrigin(uri, _baseUri))
            {
                if (_token.Length > 0)
                {
                    message.Headers.Authorization = new AuthenticationHeaderValue("Bearer", _token);
                }

                if (_project.Length > 0)
                {
                    message.Headers.TryAddWithoutValidation(ContreeClientOptions.ProjectHeader, _project);
                }
            }

            var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            if (!followsRedirects || !IsRedirect(response.StatusCode) || response.Headers.Location is not { } location || hop >= MaxRedirects)
            {
                return response;
            }

            var next = new Uri(uri, location);
            response.Dispose();
            if (next.Scheme != Uri.UriSchemeHttp && next.Scheme != Uri.UriSchemeHttps)
            {
                throw ContreeException.Internal($"Contree API redirected {request.Display} to an unsupported location ({next.Scheme}:).");
            }

            Log.Redirected(_logger, request.Method.Method, request.PathAndQuery, next.AbsolutePath);
            uri = next;
        }
    }

    /// <summary>Full-jitter exponential backoff; a server's Retry-After wins but is capped at RetryMaxDelay.</summary>
    internal TimeSpan BackoffDelay(int attempt, TimeSpan? retryAfter)
    {
        if (retryAfter is { } requested)
        {
            return requested < TimeSpan.Zero ? TimeSpan.Zero : requested > _retryMaxDelay ? _retryMaxDelay : requested;
        }

        var exponential = _retryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        var ceiling = Math.Min(exponential, _retryMaxDelay.TotalMilliseconds);
        // Task.Delay counts whole milliseconds, so a draw under 1 ms would retry without waiting at all.
        return TimeSpan.FromMilliseconds(Math.Clamp(Random.Shared.NextDouble() * ceiling, Math.Min(1, ceiling), ceiling));
    }

    private TimeSpan? RetryAfter(HttpResponseMessage response) => response.Headers.RetryAfter switch
    {
        { Delta: { } delta } => delta,
        { Date: { } date } => date - _timeProvider.GetUtcNow(),
        _ => null,
    };

    /// <summary>HTTP 425 Too Early; HttpStatusCode has no name for it.</summary>
    private const HttpStatusCode TooEarly = (HttpStatusCode)425;

    /// <summary>408, 425, 429 and the gateway/overload 5xx codes are worth another attempt; 500 too (a transient crash).</summary>
    private static bool IsTransientStatus(HttpStatusCode status) => IsRejectedUnprocessed(status) || status is HttpStatusCode.RequestTimeout
        or HttpStatusCode.InternalServerError
        or HttpStatusCode.BadGateway
        or HttpStatusCode.ServiceUnavailable
        or HttpStatusCode.GatewayTimeout;

    /// <summary>
    /// 425 and 429 mean the Contree API rejected the request before processing it (its contract, as the official
    /// contree-client SDK states), so they are retried for every method, with the server's Retry-After.
    /// </summary>
    private static bool IsRejectedUnprocessed(HttpStatusCode status) => status is TooEarly or HttpStatusCode.TooManyRequests;

    private static bool IsRedirect(HttpStatusCode status) => status is HttpStatusCode.MovedPermanently
        or HttpStatusCode.Found
        or HttpStatusCode.SeeOther
        or HttpStatusCode.TemporaryRedirect
        or HttpStatusCode.PermanentRedirect;

    private static bool IsSameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.IdnHost, b.IdnHost, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    /// <summary>A POST that failed in transit may or may not have been applied; it is never resent blindly.</summary>
    private static string NotRetriedNote(ApiRequest request) =>
        request.Retryable ? "" : "; the request was not retried because it is not idempotent and may or may not have been applied";

    private static string TransportReason(Exception ex)
    {
        // The innermost exception is the specific one ("Connection refused"); the outer ones add the URL again.
        var inner = ex;
        while (inner.InnerException is not null)
        {
            inner = inner.InnerException;
        }

        return inner.Message.Length > 0 ? inner.Message : ex.Message;
    }
}
