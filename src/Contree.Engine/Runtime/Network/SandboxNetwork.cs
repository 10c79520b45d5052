namespace Contree.Engine.Runtime.Network;

/// <summary>The network a sandbox gets (docs/network.md).</summary>
internal enum SandboxNetwork
{
    /// <summary>A private network namespace with only loopback.</summary>
    None,

    /// <summary>A private network namespace with outbound TCP/UDP to public addresses through slirp4netns, and DNS.</summary>
    Internet,

    /// <summary>The host's network namespace (the operator's explicit, unsafe choice).</summary>
    Host,
}
