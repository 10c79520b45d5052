using System.Text;
using Contree.Engine.Runtime.Network.Egress;

namespace Contree.Engine.Tests.Network.Egress;

public sealed class HttpRequestHeadTests
{
    // What curl 8 sends for `curl http://files.test/index.html` and, through a proxy, `curl -x proxy:3128 -U x:y ...`.
    private const string CurlGet = "GET /index.html HTTP/1.1\r\nHost: files.test\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\n\r\n";

    private const string CurlProxyGet =
        "GET http://files.test:8080/dl/a.tar.gz?v=1 HTTP/1.1\r\nHost: files.test:8080\r\nProxy-Authorization: Basic eDp5\r\n" +
        "User-Agent: curl/8.5.0\r\nAccept: */*\r\nProxy-Connection: Keep-Alive\r\n\r\n";

    private const string CurlConnect =
        "CONNECT files.test:443 HTTP/1.1\r\nHost: files.test:443\r\nUser-Agent: curl/8.5.0\r\nProxy-Connection: Keep-Alive\r\n\r\n";

    [Fact]
    public void TryParse_CurlGet_Parsed()
    {
        var head = Parse(CurlGet, out var headLength);

        Assert.Equal(CurlGet.Length, headLength);
        Assert.Equal("GET", head.Method);
        Assert.Equal("/index.html", head.Target);
        Assert.Equal("HTTP/1.1", head.Version);
        Assert.Equal("files.test", head.Host);
        Assert.Equal(
            [new("Host", "files.test"), new("User-Agent", "curl/8.5.0"), new KeyValuePair<string, string>("Accept", "*/*")],
            head.Headers);
        Assert.Null(head.ContentLength);
        Assert.False(head.HasTransferEncoding);
        Assert.False(head.IsChunked);
    }

    [Fact]
    public void TryParse_CurlGetArrivingByteByByte_NeedMoreThenParsed()
    {
        var bytes = Encoding.ASCII.GetBytes(CurlGet);

        for (var length = 0; length < bytes.Length; length++)
        {
            Assert.Equal(HttpParse.NeedMore, HttpRequestHead.TryParse(bytes.AsSpan(0, length), out var head, out var headLength));
            Assert.Null(head);
            Assert.Equal(0, headLength);
        }

        Assert.Equal(HttpParse.Parsed, HttpRequestHead.TryParse(bytes, out _, out _));
    }

    [Fact]
    public void TryParse_PostWithBody_HeadLengthStopsBeforeTheBody()
    {
        const string head = "POST /upload HTTP/1.1\r\nHost: files.test\r\nContent-Type: application/json\r\nContent-Length: 13\r\n\r\n";

        var parsed = Parse(head + "{\"a\":\"\r\n\r\n\"}", out var headLength);

        Assert.Equal(head.Length, headLength);
        Assert.Equal(13, parsed.ContentLength);
    }

    [Fact]
    public void TryParse_LeadingEmptyLines_SkippedAndCounted()
    {
        var head = Parse("\r\n\r\n" + CurlGet, out var headLength);

        Assert.Equal(4 + CurlGet.Length, headLength);
        Assert.Equal("GET", head.Method);
        Assert.Equal(HttpParse.NeedMore, HttpRequestHead.TryParse("\r\n\r"u8, out _, out _));
    }

    [Fact]
    public void TryParse_AbsoluteFormProxyRequest_TargetAndRewrite()
    {
        var head = Parse(CurlProxyGet, out _);

        Assert.True(HttpRequestHead.TryParseAbsoluteTarget(head.Target, out var host, out var port, out var originForm));
        Assert.Equal(("files.test", 8080, "/dl/a.tar.gz?v=1"), (host, port, originForm));

        var rewritten = Encoding.ASCII.GetString(head.Rewrite(originForm));

        Assert.Equal(
            "GET /dl/a.tar.gz?v=1 HTTP/1.1\r\nHost: files.test:8080\r\nUser-Agent: curl/8.5.0\r\nAccept: */*\r\nConnection: close\r\n\r\n",
            rewritten);
        Assert.Equal(HttpParse.Parsed, HttpRequestHead.TryParse(Encoding.ASCII.GetBytes(rewritten), out _, out _));
    }

    [Fact]
    public void TryParse_Connect_AuthorityFormTarget()
    {
        var head = Parse(CurlConnect, out var headLength);

        Assert.Equal(CurlConnect.Length, headLength);
        Assert.Equal("CONNECT", head.Method);
        Assert.True(HttpRequestHead.TrySplitAuthority(head.Target, 443, out var host, out var port));
        Assert.Equal(("files.test", 443), (host, port));
        Assert.False(HttpRequestHead.TryParseAbsoluteTarget(head.Target, out _, out _, out _));
    }

    [Fact]
    public void TryParse_Http10WithoutHeaders_Parsed()
    {
        var head = Parse("GET / HTTP/1.0\r\n\r\n", out var headLength);

        Assert.Equal(18, headLength);
        Assert.Equal("HTTP/1.0", head.Version);
        Assert.Empty(head.Headers);
        Assert.Null(head.Host);
    }

    [Fact]
    public void TryParse_ValuesTrimmedAndObsTextKept()
    {
        var head = Parse("GET / HTTP/1.1\r\nHost:files.test\r\nX-A: \t spaced  out \t\r\nX-B:\r\nX-C: caf\xe9\r\n\r\n", out _);

        Assert.Equal(
            [new("Host", "files.test"), new("X-A", "spaced  out"), new("X-B", ""), new KeyValuePair<string, string>("X-C", "caf\u00e9")],
            head.Headers);
        Assert.Equal(Encoding.Latin1.GetBytes("GET /x HTTP/1.1\r\nHost: files.test\r\nX-A: spaced  out\r\nX-B: \r\nX-C: caf\xe9\r\nConnection: close\r\n\r\n"), head.Rewrite("/x"));
    }

    [Theory]
    [InlineData("Content-Length: 0", 0L)]
    [InlineData("Content-Length: 000042", 42L)]
    [InlineData("Content-Length: 7, 7", 7L)] // RFC 9110 §8.6: a list of one repeated value
    [InlineData("Content-Length: 7\r\nContent-Length: 7", 7L)]
    [InlineData("Content-Length: 999999999999999999", 999999999999999999L)]
    public void TryParse_ContentLength_Read(string fields, long expected) =>
        Assert.Equal(expected, Parse($"PUT /f HTTP/1.1\r\nHost: a\r\n{fields}\r\n\r\n", out _).ContentLength);

    [Theory]
    [InlineData("Transfer-Encoding: chunked", true)]
    [InlineData("Transfer-Encoding: gzip, Chunked", true)]
    [InlineData("Transfer-Encoding: gzip\r\nTransfer-Encoding: CHUNKED", true)]
    [InlineData("Transfer-Encoding: chunked, gzip", false)]
    [InlineData("Transfer-Encoding: gzip", false)]
    [InlineData("Transfer-Encoding: chunked;x=1", false)]
    public void TryParse_TransferEncoding_ChunkedOnlyWhenFinal(string fields, bool chunked)
    {
        var head = Parse($"POST /f HTTP/1.1\r\nHost: a\r\n{fields}\r\n\r\n", out _);

        Assert.True(head.HasTransferEncoding);
        Assert.Equal(chunked, head.IsChunked);
        Assert.Null(head.ContentLength);
    }

    [Theory]
    [InlineData("SSH-2.0-x\r\n")]                  // an SSH banner: '\r' ends the would-be method
    [InlineData("SSH-2.0-OpenSSH_9.6\r\n")]
    [InlineData("\x16\x03\x01\x02\x00\x01")]       // a TLS ClientHello
    [InlineData("\x16")]
    [InlineData("\0")]
    [InlineData(" GET / HTTP/1.1\r\n\r\n")]        // no method before the space
    [InlineData("GET\t/ HTTP/1.1\r\n\r\n")]
    [InlineData("G\u00c9T / HTTP/1.1\r\n\r\n")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTU")]          // 21 characters: longer than any method
    [InlineData("\r\n\r\nSSH-2.0-x\r\n")]
    [InlineData("\rX")]
    [InlineData("{\"jsonrpc\":\"2.0\"}")]
    public void TryParse_NotARequestLine_NotHttp(string data) =>
        Assert.Equal(HttpParse.NotHttp, HttpRequestHead.TryParse(Encoding.Latin1.GetBytes(data), out _, out _));

    [Fact]
    public void TryParse_SshBanner_DecidedAtTheFirstNonTokenByte()
    {
        var banner = "SSH-2.0-x\r\n"u8;

        Assert.Equal(HttpParse.NeedMore, HttpRequestHead.TryParse(banner[..9], out _, out _));
        Assert.Equal(HttpParse.NotHttp, HttpRequestHead.TryParse(banner[..10], out _, out _));
    }

    [Theory]
    [InlineData("ABCDEFGHIJKLMNOPQRST")]           // 20 characters: a method still
    [InlineData("ABCDEFGHIJKLMNOPQRST ")]
    [InlineData("M-SEARCH * HTTP/1.1\r\n")]
    [InlineData("\r\n")]
    [InlineData("\r")]
    public void TryParse_PossibleRequestLine_NeedMore(string data) =>
        Assert.Equal(HttpParse.NeedMore, HttpRequestHead.TryParse(Encoding.Latin1.GetBytes(data), out _, out _));

    [Theory]
    // Request smuggling (RFC 9112 §11.2) and framing ambiguity.
    [InlineData("GET / HTTP/1.1\r\nHost: files.test\r\nHost: evil.test\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: files.test\r\nhost: files.test\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 0\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5, 6\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 5,\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 12a\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: -1\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: +5\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 0x10\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: 9999999999999999999\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nContent-Length: \u0665\r\n\r\n")] // an Arabic-Indic digit
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding : chunked\r\n\r\n")] // whitespace before ':'
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding\t: chunked\r\n\r\n")]
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nX: y\r\n Transfer-Encoding: chunked\r\n\r\n")] // obs-fold
    [InlineData("POST / HTTP/1.1\r\nHost: a\r\nX: y\r\n\tmore\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n Host: a\r\n\r\n")] // whitespace after the request line
    // Line endings (RFC 9112 §2.2).
    [InlineData("GET / HTTP/1.1\nHost: a\n\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\r\n\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n")]
    [InlineData("\nGET / HTTP/1.1\r\n\r\n")]
    // Request line (RFC 9112 §3).
    [InlineData("GET  / HTTP/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.1 \r\n\r\n")]
    [InlineData("GET /a b HTTP/1.1\r\n\r\n")]
    [InlineData("GET /\r\n\r\n")]
    [InlineData("GET / HTTP/2.0\r\n\r\n")]
    [InlineData("GET / http/1.1\r\n\r\n")]
    [InlineData("GET / HTTP/1.x\r\n\r\n")]
    [InlineData("GET / HTTP/1.10\r\n\r\n")]
    [InlineData("GET /\u00e9 HTTP/1.1\r\n\r\n")]
    [InlineData("GET /\x7f HTTP/1.1\r\n\r\n")]
    [InlineData("GET /\0 HTTP/1.1\r\n\r\n")]
    [InlineData("GET \r\n\r\n")]
    // Field lines (RFC 9112 §5, RFC 9110 §5.5).
    [InlineData("GET / HTTP/1.1\r\nHost\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\n: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHo(st: a\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\0b\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nHost: a\x01\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX: a\x7f\r\n\r\n")]
    [InlineData("GET / HTTP/1.1\r\nX: a\x1b[31m\r\n\r\n")]
    public void TryParse_SmugglingOrBrokenHead_Malformed(string data)
    {
        Assert.Equal(HttpParse.Malformed, HttpRequestHead.TryParse(Encoding.Latin1.GetBytes(data), out var head, out var headLength));
        Assert.Null(head);
        Assert.Equal(0, headLength);
    }

    [Fact]
    public void TryParse_HeadOver64KiB_MalformedNotNeedMoreForever()
    {
        var start = "GET / HTTP/1.1\r\nHost: files.test\r\nX-Pad: ";
        var almost = Encoding.ASCII.GetBytes(start + new string('a', 65536 - start.Length - 1));
        var full = Encoding.ASCII.GetBytes(start + new string('a', 65536 - start.Length - 4) + "\r\n\r\n");
        var over = Encoding.ASCII.GetBytes(start + new string('a', 65536 - start.Length - 3) + "\r\n\r\n");

        Assert.Equal(HttpParse.NeedMore, HttpRequestHead.TryParse(almost, out _, out _));
        Assert.Equal(HttpParse.Malformed, HttpRequestHead.TryParse([.. almost, (byte)'a'], out _, out _));
        Assert.Equal(HttpParse.Parsed, HttpRequestHead.TryParse(full, out _, out var headLength));
        Assert.Equal(65536, headLength);
        Assert.Equal(HttpParse.Malformed, HttpRequestHead.TryParse(over, out _, out _));
        Assert.Equal(HttpParse.Malformed, HttpRequestHead.TryParse(over.AsSpan(0, 65536), out _, out _));
    }

    [Fact]
    public void TryParse_EndlessEmptyLines_Malformed()
    {
        var lines = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat("\r\n", 40_000)));

        Assert.Equal(HttpParse.Malformed, HttpRequestHead.TryParse(lines, out _, out _));
        Assert.Equal(HttpParse.NeedMore, HttpRequestHead.TryParse(lines.AsSpan(0, 1000), out _, out _));
    }

    [Fact]
    public void Rewrite_DropsHopByHopAndFieldsNamedByConnection()
    {
        var head = Parse(
            "GET http://files.test/a HTTP/1.1\r\nHost: files.test\r\nConnection: keep-alive, X-Hop , Upgrade\r\nKeep-Alive: timeout=5\r\n" +
            "X-Hop: 1\r\nUpgrade: websocket\r\nproxy-authorization: Basic eDp5\r\nPROXY-CONNECTION: close\r\nX-End: 2\r\n\r\n", out _);

        var rewritten = Encoding.ASCII.GetString(head.Rewrite("/a"));

        Assert.Equal("GET /a HTTP/1.1\r\nHost: files.test\r\nX-End: 2\r\nConnection: close\r\n\r\n", rewritten);
    }

    [Fact]
    public void Rewrite_ConnectionNamingFramingOrHost_KeepsThem()
    {
        var head = Parse(
            "POST /u HTTP/1.0\r\nHost: files.test\r\nContent-Length: 3\r\nConnection: Host, content-length, X-A\r\nX-A: 1\r\n\r\n", out _);

        var rewritten = Encoding.ASCII.GetString(head.Rewrite("/u"));

        Assert.Equal("POST /u HTTP/1.0\r\nHost: files.test\r\nContent-Length: 3\r\nConnection: close\r\n\r\n", rewritten);
    }

    [Theory]
    [InlineData("/a b")]
    [InlineData("/a\r\nX-Injected: 1")]
    [InlineData("")]
    public void Rewrite_TargetWithWhitespaceOrControls_Throws(string target) =>
        Assert.Throws<ArgumentException>(() => Parse(CurlGet, out _).Rewrite(target));

    [Theory]
    [InlineData("files.test", 80, "files.test", 80)]
    [InlineData("files.test:8080", 80, "files.test", 8080)]
    [InlineData("Files.TEST.:443", 80, "files.test", 443)]
    [InlineData("files.test:00443", 80, "files.test", 443)]
    [InlineData("files.test:65535", 80, "files.test", 65535)]
    [InlineData("192.0.2.1:81", 80, "192.0.2.1", 81)]
    [InlineData("[::1]:80", 443, "::1", 80)]
    [InlineData("[2001:DB8::1]", 443, "2001:db8::1", 443)]
    [InlineData("[::ffff:192.0.2.1]:8443", 443, "::ffff:192.0.2.1", 8443)]
    public void TrySplitAuthority_Valid(string authority, int defaultPort, string host, int port)
    {
        Assert.True(HttpRequestHead.TrySplitAuthority(authority, defaultPort, out var actualHost, out var actualPort));
        Assert.Equal((host, port), (actualHost, actualPort));
    }

    [Theory]
    [InlineData("")]
    [InlineData(":80")]
    [InlineData(".:80")]
    [InlineData("files.test:")]
    [InlineData("files.test:0")]
    [InlineData("files.test:65536")]
    [InlineData("files.test:123456")]
    [InlineData("files.test:+80")]
    [InlineData("files.test: 80")]
    [InlineData("files.test:8o")]
    [InlineData("files.test:80:81")]
    [InlineData("user@files.test")]
    [InlineData("user:pw@files.test:80")]
    [InlineData("files.test@evil.test")]
    [InlineData("files.test\\@evil.test")]
    [InlineData("files test")]
    [InlineData("files.test/x")]
    [InlineData("fi%6ces.test")]
    [InlineData("files..test")]
    [InlineData("::1")]
    [InlineData("[::1")]
    [InlineData("[::1]x")]
    [InlineData("[::1]:")]
    [InlineData("[]")]
    [InlineData("[192.0.2.1]")]
    [InlineData("[fe80::1%25eth0]:80")]
    [InlineData("[files.test]")]
    public void TrySplitAuthority_Invalid_False(string authority) =>
        Assert.False(HttpRequestHead.TrySplitAuthority(authority, 80, out _, out _));

    [Theory]
    [InlineData("http://files.test/a/b?c=d", "files.test", 80, "/a/b?c=d")]
    [InlineData("HTTP://Files.Test:8080", "files.test", 8080, "/")]
    [InlineData("http://files.test?q=1", "files.test", 80, "/?q=1")]
    [InlineData("http://files.test/", "files.test", 80, "/")]
    [InlineData("hTtP://[::1]:81/x", "::1", 81, "/x")]
    public void TryParseAbsoluteTarget_Valid(string target, string host, int port, string originForm)
    {
        Assert.True(HttpRequestHead.TryParseAbsoluteTarget(target, out var actualHost, out var actualPort, out var actualOriginForm));
        Assert.Equal((host, port, originForm), (actualHost, actualPort, actualOriginForm));
    }

    [Theory]
    [InlineData("/index.html")]
    [InlineData("*")]
    [InlineData("files.test:443")]
    [InlineData("https://files.test/")]
    [InlineData("ftp://files.test/")]
    [InlineData("http:/files.test/")]
    [InlineData("http:///a")]
    [InlineData("http://user:pw@files.test/")]
    [InlineData("http://files.test@evil.test/")]
    [InlineData("http://files.test/#frag")]
    [InlineData("http://files.test:0/")]
    [InlineData("http://files.test/a b")]
    [InlineData("http://files.test/\u00e9")]
    public void TryParseAbsoluteTarget_Invalid_False(string target) =>
        Assert.False(HttpRequestHead.TryParseAbsoluteTarget(target, out _, out _, out _));

    [Fact]
    public void TryParse_RandomAndMutatedInput_NeverThrows()
    {
        const string Interesting = "\r\n :,\t\0aZ@[]\x7f\xff";
        var random = new Random(9112);
        byte[][] sources = [Encoding.ASCII.GetBytes(CurlGet), Encoding.ASCII.GetBytes(CurlProxyGet), Encoding.ASCII.GetBytes(CurlConnect)];
        for (var i = 0; i < 20_000; i++)
        {
            byte[] data;
            if (i % 7 == 0)
            {
                data = new byte[random.Next(0, 300)];
                random.NextBytes(data);
            }
            else
            {
                var source = sources[i % sources.Length];
                data = source[..random.Next(0, source.Length + 1)];
                for (var flips = random.Next(0, 4); flips > 0 && data.Length > 0; flips--)
                {
                    data[random.Next(data.Length)] = (byte)Interesting[random.Next(Interesting.Length)];
                }
            }

            var result = HttpRequestHead.TryParse(data, out var head, out var headLength);
            Assert.Equal(result == HttpParse.Parsed, head is not null);
            Assert.InRange(headLength, 0, data.Length);
            if (head is not null)
            {
                if (HttpRequestHead.TryParseAbsoluteTarget(head.Target, out _, out var port, out var originForm))
                {
                    Assert.InRange(port, 1, 65535);
                    Assert.StartsWith("/", originForm, StringComparison.Ordinal);
                }

                if (HttpRequestHead.TrySplitAuthority(head.Target, 80, out var host, out _))
                {
                    Assert.NotEmpty(host);
                }

                Assert.Equal(HttpParse.Parsed, HttpRequestHead.TryParse(head.Rewrite("/"), out _, out _));
            }
        }
    }

    private static HttpRequestHead Parse(string text, out int headLength)
    {
        Assert.Equal(HttpParse.Parsed, HttpRequestHead.TryParse(Encoding.Latin1.GetBytes(text), out var head, out headLength));
        return Assert.IsType<HttpRequestHead>(head);
    }
}
