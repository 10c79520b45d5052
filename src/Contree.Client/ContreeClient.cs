using Contree.Core;
using Contree.Core.Errors;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Contree.Client;

/// <summary>
/// <see cref="IContreeBackend"/> over the Contree /v1 HTTP API (docs/client.md). Every call goes to the API: the client
/// keeps no caches and does not track operations (the MCP layer polls them for any backend; only a cancel waits,
/// bounded, for its operation to stop).
/// </summary>
/// <remarks>
/// Concurrency: at most <see cref="ContreeClientOptions.MaxConcurrentRequests"/> HTTP exchanges are in flight. A
/// slot is held from sending a request until its body is read (JSON, text, error bodies), or, for a download,
/// only until the response headers arrived: the returned stream is not counted, so a caller reading slowly or
/// holding a stream open never starves other calls. No slot is held across retry sleeps.
/// </remarks>
internal sealed partial class ContreeClient : IContreeBackend, IDisposable
{
    private readonly HttpClient _http;
    private readonly ILogger _logger;
    private readonly TimeProvider _timeProvider;
    private readonly SemaphoreSlim _gate;
    private readonly Uri _baseUri;
    private readonly string _baseUrl;
    private readonly string _token;
    private readonly string _project;
    private readonly string _userAgent;
    private readonly TimeSpan _requestTimeout;
    private readonly int _maxRetries;
    private readonly TimeSpan _retryBaseDelay;
    private readonly TimeSpan _retryMaxDelay;
    private readonly long _maxJsonBytes;
    private readonly TimeSpan _cancelWait;

    /// <summary>Creates a client that sends through <paramref name="httpClient"/>, which it owns from now on.</summary>
    internal ContreeClient(HttpClient httpClient, ContreeClientOptions options, ILogger<ContreeClient>? logger = null, TimeProvider? timeProvider = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(options);
        _http = httpClient;
        _logger = logger ?? NullLogger<ContreeClient>.Instance;
        _timeProvider = timeProvider ?? TimeProvider.System;

        _baseUrl = NormalizeBaseUrl(options.BaseUrl);
        _baseUri = new Uri(_baseUrl + "/", UriKind.Absolute);
        _token = ValidateToken(options.Token);
        _project = ValidateProject(options.Project);
        _userAgent = ClientUserAgent.Build(options.ProductVersion);
        _requestTimeout = Positive(options.RequestTimeout, nameof(options.RequestTimeout));
        _maxRetries = options.MaxRetries is >= 0 and <= 20
            ? options.MaxRetries
            : throw ContreeException.InvalidArgument($"ContreeClientOptions.MaxRetries must be between 0 and 20, got {options.MaxRetries}.");
        _retryBaseDelay = NonNegative(options.RetryBaseDelay, nameof(options.RetryBaseDelay));
        _retryMaxDelay = NonNegative(options.RetryMaxDelay, nameof(options.RetryMaxDelay));
        _cancelWait = NonNegative(options.CancelWait, nameof(options.CancelWait));
        _maxJsonBytes = options.MaxJsonResponseBytes is >= 1024 and <= int.MaxValue
            ? options.MaxJsonResponseBytes
            : throw ContreeException.InvalidArgument(
                $"ContreeClientOptions.MaxJsonResponseBytes must be between 1024 and {int.MaxValue}, got {options.MaxJsonResponseBytes}.");
        var concurrency = options.MaxConcurrentRequests >= 1
            ? options.MaxConcurrentRequests
            : throw ContreeException.InvalidArgument($"ContreeClientOptions.MaxConcurrentRequests must be at least 1, got {options.MaxConcurrentRequests}.");
        _gate = new SemaphoreSlim(concurrency, concurrency);
    }

    /// <summary>The API root requests are sent under, e.g. <c>https://contree.dev/v1</c>.</summary>
    internal string BaseUrl => _baseUrl;

    internal string UserAgent => _userAgent;

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }

    /// <summary>Trailing '/' removed, '/v1' appended.</summary>
    internal static string NormalizeBaseUrl(string? baseUrl)
    {
        var trimmed = (baseUrl ?? "").Trim().TrimEnd('/');
        if (!Uri.TryCreate(trimmed, UriKind.Absolute, out var uri)
            || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
            || !string.IsNullOrEmpty(uri.Query) || !string.IsNullOrEmpty(uri.Fragment))
        {
            throw ContreeException.InvalidArgument(
                $"Invalid Contree API URL '{baseUrl}': expected an absolute http or https URL such as https://contree.dev.");
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            // Credentials belong in the token; a URL with user info would end up in logs and error messages.
            throw ContreeException.InvalidArgument("Invalid Contree API URL: it must not contain user credentials; set the token instead.");
        }

        return trimmed + "/v1";
    }

    private static string ValidateToken(string? token)
    {
        var trimmed = (token ?? "").Trim();
        if (trimmed.Any(char.IsControl) || trimmed.Any(char.IsWhiteSpace))
        {
            // The token itself is never echoed.
            throw ContreeException.InvalidArgument("Invalid Contree API token: it contains whitespace or control characters.");
        }

        return trimmed;
    }

    private static string ValidateProject(string? project)
    {
        var trimmed = (project ?? "").Trim();
        return trimmed.Any(c => char.IsControl(c) || char.IsWhiteSpace(c))
            ? throw ContreeException.InvalidArgument("Invalid Contree project ID: it contains whitespace or control characters.")
            : trimmed;
    }

    private static TimeSpan Positive(TimeSpan value, string name) =>
        value > TimeSpan.Zero || value == Timeout.InfiniteTimeSpan
            ? value
            : throw ContreeException.InvalidArgument($"ContreeClientOptions.{name} must be positive, got {value}.");

    private static TimeSpan NonNegative(TimeSpan value, string name) =>
        value >= TimeSpan.Zero
            ? value
            : throw ContreeException.InvalidArgument($"ContreeClientOptions.{name} must not be negative, got {value}.");
}
