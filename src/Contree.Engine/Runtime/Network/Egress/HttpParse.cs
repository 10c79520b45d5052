namespace Contree.Engine.Runtime.Network.Egress;

/// <summary>What <see cref="HttpRequestHead.TryParse"/> made of the bytes a client sent first.</summary>
internal enum HttpParse
{
    /// <summary>A request line has started, but the head (up to CRLFCRLF) is not complete yet.</summary>
    NeedMore,

    /// <summary>A complete, well-formed request head.</summary>
    Parsed,

    /// <summary>The first bytes cannot start an HTTP/1.x request line (another protocol).</summary>
    NotHttp,

    /// <summary>An HTTP request head that breaks RFC 9112 or is ambiguous enough to allow request smuggling.</summary>
    Malformed,
}
