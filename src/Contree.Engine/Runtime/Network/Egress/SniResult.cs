namespace Contree.Engine.Runtime.Network.Egress;

/// <summary>What <see cref="TlsClientHello.TryReadServerName"/> made of the bytes a client sent first.</summary>
internal enum SniResult
{
    /// <summary>A TLS handshake so far, but the ClientHello is not complete yet.</summary>
    NeedMore,

    /// <summary>A complete ClientHello with a valid host_name.</summary>
    Found,

    /// <summary>Not a TLS handshake record at all (another protocol).</summary>
    NotTls,

    /// <summary>A complete, well-formed ClientHello without a server_name extension.</summary>
    NoServerName,

    /// <summary>Looks like TLS but breaks the format, exceeds the size cap, or names an unacceptable host.</summary>
    Malformed,
}
