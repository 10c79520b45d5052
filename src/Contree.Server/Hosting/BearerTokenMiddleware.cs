using System.Security.Cryptography;
using System.Text;

namespace Contree.Server.Hosting;

/// <summary>
/// Requires <c>Authorization: Bearer &lt;token&gt;</c> on the requests <see cref="_applies"/> selects; anything else
/// answers 401 with <c>WWW-Authenticate: Bearer</c> (RFC 6750 section 3). The comparison is constant-time.
/// </summary>
internal sealed class BearerTokenMiddleware
{
    private readonly RequestDelegate _next;
    private readonly byte[] _expected;
    private readonly Func<HttpContext, bool> _applies;
    private readonly Func<HttpContext, Task> _reject;

    public BearerTokenMiddleware(RequestDelegate next, string token, Func<HttpContext, bool> applies, Func<HttpContext, Task> reject)
    {
        _next = next;
        _expected = Encoding.UTF8.GetBytes(token);
        _applies = applies;
        _reject = reject;
    }

    public Task InvokeAsync(HttpContext context)
    {
        if (!_applies(context))
        {
            return _next(context);
        }

        // The scheme name is case-insensitive (RFC 7235 section 2.1); the token is compared in constant time.
        var header = context.Request.Headers.Authorization.ToString();
        var presented = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? Encoding.UTF8.GetBytes(header[7..].Trim()) : [];
        if (presented.Length > 0 && CryptographicOperations.FixedTimeEquals(presented, _expected))
        {
            return _next(context);
        }

        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        context.Response.Headers.WWWAuthenticate = "Bearer";
        return _reject(context);
    }
}
