using System.Reflection;

namespace Contree.Client;

/// <summary>Settings of the cloud backend: where the Contree API is, how to authenticate, and the request limits.</summary>
public sealed class ContreeClientOptions
{
    /// <summary>Root of the Contree service; trailing '/' characters are removed and <c>/v1</c> is appended.</summary>
    public string BaseUrl { get; set; } = "https://contree.dev";

    /// <summary>Bearer token; no Authorization header is sent when empty. Never logged.</summary>
    public string Token { get; set; } = "";

    /// <summary>
    /// The header that carries the project with Nebius IAM authentication, as the official contree-client SDK sends it
    /// (name <c>Project</c>, value the bare project ID).
    /// </summary>
    public const string ProjectHeader = "Project";

    /// <summary>
    /// Project ID sent in <see cref="ProjectHeader"/> with every request to the API's origin (iam authentication); no
    /// header is sent when empty (jwt).
    /// </summary>
    public string Project { get; set; } = "";

    /// <summary>Time limit of one HTTP exchange (until the body is read; for downloads, until headers and then per read).</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Retries after the first attempt, for idempotent requests only (GET, HEAD, DELETE, tag PATCH).</summary>
    public int MaxRetries { get; set; } = 3;

    /// <summary>Base of the exponential backoff (full jitter): attempt n waits up to base * 2^(n-1).</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromMilliseconds(50);

    /// <summary>Upper bound of one backoff sleep, also the cap applied to a server's Retry-After.</summary>
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMilliseconds(400);

    /// <summary>
    /// How long a cancel polls the operation until it is terminal before returning anyway (zero: do not wait). The
    /// default is the bound the local engine and the MCP tools use.
    /// </summary>
    public TimeSpan CancelWait { get; set; } = Contree.Core.OperationPolling.CancelWait;

    /// <summary>HTTP exchanges in flight at once; further calls wait for a slot.</summary>
    public int MaxConcurrentRequests { get; set; } = 10;

    /// <summary>Largest JSON (or text listing) response body accepted, with or without a Content-Length.</summary>
    public long MaxJsonResponseBytes { get; set; } = 32L * 1024 * 1024;

    /// <summary>Version in the first User-Agent product token (<c>contree-mcp/&lt;version&gt;</c>).</summary>
    public string ProductVersion { get; set; } = DefaultProductVersion();

    private static string DefaultProductVersion()
    {
        var informational = typeof(ContreeClientOptions).Assembly
            .GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (string.IsNullOrEmpty(informational))
        {
            return "unknown";
        }

        // SourceLink appends "+<commit>"; the product token only needs the version.
        var plus = informational.IndexOf('+', StringComparison.Ordinal);
        return plus > 0 ? informational[..plus] : informational;
    }
}
