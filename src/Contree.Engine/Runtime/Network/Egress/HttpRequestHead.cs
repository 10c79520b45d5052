using System.Buffers;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Contree.Core.Networking;

namespace Contree.Engine.Runtime.Network.Egress;

/// <summary>
/// The head of an HTTP/1.x request (RFC 9112 §2–§3, §5–§7) as the egress proxy reads it from a sandbox: request line,
/// header fields in order, and the fields that decide where the request goes and how its body is framed. The parser is
/// strict wherever leniency would let the proxy and the origin disagree about a request (request smuggling, RFC 9112
/// §11.2): it refuses rather than repairs.
/// </summary>
internal sealed class HttpRequestHead
{
    private const int MaxHeadLength = 64 * 1024;
    private const int MaxMethodLength = 20;
    private const int MaxContentLengthDigits = 18; // fits a long
    private const string HttpScheme = "http://";
    private static readonly SearchValues<char> Ipv6LiteralChars = SearchValues.Create("0123456789abcdefABCDEF:.");

    private HttpRequestHead(string method, string target, string version, List<KeyValuePair<string, string>> headers, string? host,
        long? contentLength, bool hasTransferEncoding, bool isChunked)
    {
        Method = method;
        Target = target;
        Version = version;
        Headers = headers;
        Host = host;
        ContentLength = contentLength;
        HasTransferEncoding = hasTransferEncoding;
        IsChunked = isChunked;
    }

    public string Method { get; }

    /// <summary>The request target as sent: origin-form, absolute-form, authority-form or asterisk-form (RFC 9112 §3.2).</summary>
    public string Target { get; }

    /// <summary>"HTTP/1.0" or "HTTP/1.1" (any "HTTP/1.x").</summary>
    public string Version { get; }

    /// <summary>The header fields in order, names as sent, values without leading and trailing whitespace.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; }

    /// <summary>The Host field's value, or null without one.</summary>
    public string? Host { get; }

    public long? ContentLength { get; }

    public bool HasTransferEncoding { get; }

    /// <summary>Whether the final transfer coding is chunked (RFC 9112 §6.3): only then is the body's end known.</summary>
    public bool IsChunked { get; }

    /// <summary>
    /// Parses the head at the start of <paramref name="data"/>. <see cref="HttpParse.NotHttp"/> as soon as a byte that
    /// cannot belong to the method appears (binary protocols are told apart after a few bytes),
    /// <see cref="HttpParse.NeedMore"/> until the empty line, <see cref="HttpParse.Parsed"/> with
    /// <paramref name="headLength"/> counting every byte through the final CRLFCRLF (leading empty lines included), or
    /// <see cref="HttpParse.Malformed"/>.
    /// </summary>
    public static HttpParse TryParse(ReadOnlySpan<byte> data, out HttpRequestHead? head, out int headLength)
    {
        head = null;
        headLength = 0;

        // §2.2: a server SHOULD ignore at least one empty line (CRLF) received before the request-line.
        var start = 0;
        while (start < data.Length && data[start] == '\r')
        {
            if (start + 1 >= data.Length)
            {
                return HttpParse.NeedMore;
            }

            if (data[start + 1] != '\n')
            {
                return HttpParse.NotHttp;
            }

            start += 2;
            if (start >= MaxHeadLength)
            {
                return HttpParse.Malformed;
            }
        }

        if (start < data.Length && data[start] == '\n')
        {
            return HttpParse.Malformed; // an empty line ended by a bare LF
        }

        // §3: method = token (RFC 9110 §9.1, §5.6.2), then a single SP. Our cap of 20 covers every registered method.
        var methodEnd = start;
        while (true)
        {
            if (methodEnd >= data.Length)
            {
                return HttpParse.NeedMore;
            }

            var b = data[methodEnd];
            if (b == ' ')
            {
                if (methodEnd == start)
                {
                    return HttpParse.NotHttp;
                }

                break;
            }

            if (!IsTchar(b) || methodEnd - start >= MaxMethodLength)
            {
                return HttpParse.NotHttp;
            }

            methodEnd++;
        }

        var ended = FindEnd(data, start);
        if (ended.Result != HttpParse.Parsed)
        {
            return ended.Result;
        }

        head = Parse(data[start..(ended.End - 2)], methodEnd - start);
        if (head is null)
        {
            return HttpParse.Malformed;
        }

        headLength = ended.End;
        return HttpParse.Parsed;
    }

    /// <summary>
    /// Splits an authority (RFC 3986 §3.2) into a normalised host (see <see cref="HostNames"/>; an IPv6 literal without
    /// its brackets) and a port. False for userinfo, an empty or unacceptable host, a zone ID, or a port outside 1–65535.
    /// </summary>
    public static bool TrySplitAuthority(string authority, int defaultPort, out string host, out int port) =>
        TrySplitAuthority(authority.AsSpan(), defaultPort, out host, out port);

    /// <summary>
    /// Reads an absolute-form target (RFC 9112 §3.2.2) of the http scheme: host, port (80 by default) and the
    /// origin-form (§3.2.1) to send upstream, "/" when the path is empty. False for other schemes, userinfo, a
    /// fragment, or whitespace and control characters.
    /// </summary>
    public static bool TryParseAbsoluteTarget(string target, out string host, out int port, out string originForm)
    {
        host = "";
        port = 0;
        originForm = "";
        if (!target.StartsWith(HttpScheme, StringComparison.OrdinalIgnoreCase) || !IsTargetText(target) || target.Contains('#'))
        {
            return false;
        }

        var rest = target.AsSpan(HttpScheme.Length);
        var pathStart = rest.IndexOfAny('/', '?');
        var authority = pathStart < 0 ? rest : rest[..pathStart];
        if (!TrySplitAuthority(authority, 80, out host, out port))
        {
            return false;
        }

        var path = pathStart < 0 ? [] : rest[pathStart..];
        originForm = path.IsEmpty ? "/" : path[0] == '?' ? string.Concat("/", path) : path.ToString();
        return true;
    }

    /// <summary>
    /// The head again with another request target and the same version, for a new upstream connection: the hop-by-hop
    /// fields (RFC 9110 §7.6.1) Connection, Keep-Alive, Proxy-Connection, Proxy-Authorization and every field a
    /// Connection header names are dropped, then <c>Connection: close</c> is added. Host, Content-Length and
    /// Transfer-Encoding stay even when named: the proxy checked the host and frames the body by them, so the origin
    /// must see the same.
    /// </summary>
    public byte[] Rewrite(string target)
    {
        if (!IsTargetText(target))
        {
            throw new ArgumentException("A request target has no whitespace or control characters.", nameof(target));
        }

        var dropped = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "Connection", "Keep-Alive", "Proxy-Connection", "Proxy-Authorization" };
        foreach (var (name, value) in Headers)
        {
            if (!name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            foreach (var option in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!IsFraming(option))
                {
                    dropped.Add(option);
                }
            }
        }

        var text = new StringBuilder(256);
        text.Append(Method).Append(' ').Append(target).Append(' ').Append(Version).Append("\r\n");
        foreach (var (name, value) in Headers)
        {
            if (!dropped.Contains(name))
            {
                text.Append(name).Append(": ").Append(value).Append("\r\n");
            }
        }

        text.Append("Connection: close\r\n\r\n");
        // Latin-1 gives back the very bytes parsed (obs-text in values included, RFC 9110 §5.5).
        return Encoding.Latin1.GetBytes(text.ToString());
    }

    /// <summary>Finds the empty line that ends the head, refusing bare LF and bare CR (RFC 9112 §2.2) on the way.</summary>
    private static (HttpParse Result, int End) FindEnd(ReadOnlySpan<byte> data, int start)
    {
        var limit = Math.Min(data.Length, MaxHeadLength);
        var lineStart = start;
        var position = start;
        while (position < limit)
        {
            var found = data[position..limit].IndexOfAny((byte)'\r', (byte)'\n');
            if (found < 0)
            {
                break;
            }

            position += found;
            if (data[position] == '\n' || (position + 1 < data.Length && data[position + 1] != '\n'))
            {
                return (HttpParse.Malformed, 0);
            }

            if (position + 1 >= data.Length)
            {
                break;
            }

            if (position == lineStart)
            {
                var end = position + 2;
                return end <= MaxHeadLength ? (HttpParse.Parsed, end) : (HttpParse.Malformed, 0);
            }

            position += 2;
            lineStart = position;
        }

        return data.Length >= MaxHeadLength ? (HttpParse.Malformed, 0) : (HttpParse.NeedMore, 0);
    }

    /// <summary>Parses the request line and the field lines; <paramref name="head"/> ends with the last line's CRLF.</summary>
    private static HttpRequestHead? Parse(ReadOnlySpan<byte> head, int methodLength)
    {
        var lineEnd = head.IndexOf("\r\n"u8);
        var requestLine = head[..lineEnd];
        var rest = head[(lineEnd + 2)..];

        // §3: request-line = method SP request-target SP HTTP-version; the target has no whitespace (§3.2), the
        // version is case-sensitive (§2.3).
        var afterMethod = requestLine[(methodLength + 1)..];
        var space = afterMethod.IndexOf((byte)' ');
        if (space <= 0)
        {
            return null;
        }

        var targetBytes = afterMethod[..space];
        var versionBytes = afterMethod[(space + 1)..];
        if (versionBytes.Length != 8 || !versionBytes.StartsWith("HTTP/1."u8) || !char.IsAsciiDigit((char)versionBytes[7]))
        {
            return null;
        }

        foreach (var b in targetBytes)
        {
            if (!IsTargetByte(b))
            {
                return null;
            }
        }

        var headers = new List<KeyValuePair<string, string>>();
        string? host = null;
        long? contentLength = null;
        var hasTransferEncoding = false;
        string? finalCoding = null;
        while (!rest.IsEmpty)
        {
            lineEnd = rest.IndexOf("\r\n"u8);
            var line = rest[..lineEnd];
            rest = rest[(lineEnd + 2)..];

            // §5.1: field-line = field-name ":" OWS field-value OWS, no whitespace before the colon (a server MUST
            // reject it); a line starting with whitespace is obs-fold (§5.2) or whitespace after the start line (§2.2).
            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t')
            {
                return null;
            }

            var nameBytes = line[..colon];
            foreach (var b in nameBytes)
            {
                if (!IsTchar(b))
                {
                    return null;
                }
            }

            var valueBytes = TrimWhitespace(line[(colon + 1)..]);
            foreach (var b in valueBytes)
            {
                // RFC 9110 §5.5: field-vchar = VCHAR / obs-text, with SP and HTAB inside; no other control character.
                if (b is < 0x20 and not (byte)'\t' or 0x7F)
                {
                    return null;
                }
            }

            var name = Encoding.ASCII.GetString(nameBytes);
            var value = Encoding.Latin1.GetString(valueBytes);
            headers.Add(new KeyValuePair<string, string>(name, value));

            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase))
            {
                // RFC 9112 §3.2: a request with more than one Host field line MUST be answered 400.
                if (host is not null)
                {
                    return null;
                }

                host = value;
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                if (!TryReadContentLength(value, ref contentLength))
                {
                    return null;
                }
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                hasTransferEncoding = true;
                foreach (var coding in value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                {
                    finalCoding = coding;
                }
            }
        }

        // RFC 9112 §6.1: Transfer-Encoding with Content-Length is a likely smuggling attempt; refuse it outright
        // rather than drop one of them.
        if (hasTransferEncoding && contentLength is not null)
        {
            return null;
        }

        var requestTarget = Encoding.ASCII.GetString(targetBytes);
        var version = versionBytes[7] switch
        {
            (byte)'1' => "HTTP/1.1",
            (byte)'0' => "HTTP/1.0",
            _ => Encoding.ASCII.GetString(versionBytes),
        };
        var chunked = string.Equals(finalCoding, "chunked", StringComparison.OrdinalIgnoreCase);
        return new HttpRequestHead(Encoding.ASCII.GetString(requestLine[..methodLength]), requestTarget, version, headers, host, contentLength,
            hasTransferEncoding, chunked);
    }

    /// <summary>
    /// RFC 9112 §6.3 rule 5 / RFC 9110 §8.6: Content-Length is 1*DIGIT; a list or repeated field of one identical value
    /// may be taken as that value, differing or non-numeric values are unrecoverable.
    /// </summary>
    private static bool TryReadContentLength(string value, ref long? contentLength)
    {
        var members = value.Split(',', StringSplitOptions.TrimEntries);
        foreach (var member in members)
        {
            if (member.Length is 0 or > MaxContentLengthDigits || member.AsSpan().ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }

            var length = long.Parse(member, NumberStyles.None, CultureInfo.InvariantCulture);
            if (contentLength is { } known && known != length)
            {
                return false;
            }

            contentLength = length;
        }

        return true;
    }

    private static bool TrySplitAuthority(ReadOnlySpan<char> authority, int defaultPort, out string host, out int port)
    {
        host = "";
        port = 0;
        if (authority.IsEmpty || authority.Contains('@'))
        {
            return false;
        }

        ReadOnlySpan<char> portText;
        bool hasPort;
        if (authority[0] == '[')
        {
            // RFC 3986 §3.2.2: IP-literal = "[" IPv6address "]"; no zone ID (RFC 6874), meaningless to another host.
            var close = authority.IndexOf(']');
            if (close < 0)
            {
                return false;
            }

            var literal = authority[1..close];
            var after = authority[(close + 1)..];
            hasPort = !after.IsEmpty;
            if (hasPort && after[0] != ':')
            {
                return false;
            }

            portText = hasPort ? after[1..] : [];
            if (literal.IsEmpty || literal.ContainsAnyExcept(Ipv6LiteralChars)
                || !IPAddress.TryParse(literal, out var address) || address.AddressFamily != AddressFamily.InterNetworkV6)
            {
                return false;
            }

            host = literal.ToString().ToLowerInvariant();
        }
        else
        {
            var colon = authority.IndexOf(':');
            if (colon >= 0 && authority.LastIndexOf(':') != colon)
            {
                return false; // an IPv6 address without brackets, or worse
            }

            hasPort = colon >= 0;
            portText = hasPort ? authority[(colon + 1)..] : [];
            if (!HostNames.TryNormalize(hasPort ? authority[..colon] : authority, out host))
            {
                return false;
            }
        }

        port = defaultPort;
        if (hasPort && !TryParsePort(portText, out port))
        {
            host = "";
            port = 0;
            return false;
        }

        return true;
    }

    private static bool TryParsePort(ReadOnlySpan<char> text, out int port)
    {
        port = 0;
        if (text.Length is 0 or > 5 || text.ContainsAnyExceptInRange('0', '9'))
        {
            return false;
        }

        port = int.Parse(text, NumberStyles.None, CultureInfo.InvariantCulture);
        return port is >= 1 and <= 65535;
    }

    private static bool IsFraming(string name) =>
        name.Equals("Host", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)
        || name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase);

    private static ReadOnlySpan<byte> TrimWhitespace(ReadOnlySpan<byte> value) => value.Trim(" \t"u8);

    // RFC 9110 §5.6.2: tchar = "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" / "." / "^" / "_" / "`" / "|" / "~" / DIGIT / ALPHA
    private static bool IsTchar(byte b) =>
        b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
            or (byte)'!' or (byte)'#' or (byte)'$' or (byte)'%' or (byte)'&' or (byte)'\'' or (byte)'*' or (byte)'+'
            or (byte)'-' or (byte)'.' or (byte)'^' or (byte)'_' or (byte)'`' or (byte)'|' or (byte)'~';

    // The visible ASCII of a request target (RFC 9112 §3.2; RFC 3986 has no whitespace, controls or non-ASCII).
    private static bool IsTargetByte(byte b) => b is > 0x20 and < 0x7F;

    private static bool IsTargetText(string text)
    {
        if (text.Length == 0)
        {
            return false;
        }

        foreach (var c in text)
        {
            if (c is <= ' ' or >= '\x7F')
            {
                return false;
            }
        }

        return true;
    }
}
