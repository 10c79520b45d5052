using System.Text;
using Contree.Core.Errors;

namespace Contree.Client;

/// <summary>
/// Builds the escaped paths and queries of the API (docs/http.md) and validates what goes into them, so no caller-supplied
/// text reaches the URL path unescaped.
/// </summary>
internal static class ApiPaths
{
    private const int MaxIdLength = 128;

    /// <summary>
    /// Validates an image, file or operation id used as a path segment or query value. Contree ids are UUIDs; the
    /// accepted alphabet (letters, digits, '-', '_') also admits prefixed ids such as "op-123" but never '/', '.',
    /// '%', '?' or whitespace, so an id can neither change the path nor add query parameters.
    /// </summary>
    public static string Id(string? value, string what)
    {
        if (string.IsNullOrEmpty(value))
        {
            throw ContreeException.InvalidArgument($"{Capitalize(what)} must not be empty; expected a UUID.");
        }

        if (value.Length > MaxIdLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            throw ContreeException.InvalidArgument($"Invalid {what} '{Shorten(value)}': expected a UUID such as 0b7e9f4c-2d1a-4c55-9a57-3f7f3c2b9e10.");
        }

        return value;
    }

    /// <summary>A sha256 as the API expects it: 64 lower-case hex digits.</summary>
    public static string Sha256(string? value)
    {
        if (value is null || value.Length != 64 || !value.All(char.IsAsciiHexDigit))
        {
            throw ContreeException.InvalidArgument($"Invalid sha256 '{Shorten(value ?? "")}': expected 64 hexadecimal digits.");
        }

        return value.ToLowerInvariant();
    }

    /// <summary>An image path as E7–E10 send it: "/" + the path without leading slashes.</summary>
    public static string ImagePath(string? path)
    {
        if (path is null)
        {
            throw ContreeException.InvalidArgument("Path must not be null; use \"/\" for the image root.");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw ContreeException.InvalidArgument($"Invalid path '{Shorten(path.Replace('\0', '?'))}': it contains a NUL character.");
        }

        return "/" + path.TrimStart('/');
    }

    /// <summary>
    /// Percent-encodes a query value (RFC 3986 3.4). '/' and ':' are legal in a query and stay readable, so a path
    /// reads <c>path=/etc/passwd</c> and a tag <c>tag=common/python:3.11</c>; '&amp;', '=', '+', '#', '%' and
    /// everything outside ASCII are escaped.
    /// </summary>
    public static string QueryValue(string value) =>
        Uri.EscapeDataString(value).Replace("%2F", "/", StringComparison.Ordinal).Replace("%3A", ":", StringComparison.Ordinal);

    /// <summary>Appends <c>name=value</c> to a query under construction.</summary>
    public static void Append(StringBuilder query, string name, string value)
    {
        query.Append(query.Length == 0 ? '?' : '&').Append(name).Append('=').Append(QueryValue(value));
    }

    private static string Capitalize(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];

    private static string Shorten(string value) => value.Length <= 80 ? value : value[..80] + "…";
}
