namespace Contree.Engine.Interop;

/// <summary>
/// P/Invoke declarations of libnftables (Debian's <c>libnftables1</c>, the library behind nft(8)), one function per
/// file, each citing libnftables(3). A context talks to the network namespace of the thread that created it.
/// </summary>
internal static partial class Nftables
{
    internal const string Library = "libnftables.so.1";

    /// <summary>NFT_CTX_DEFAULT (libnftables(3)).</summary>
    internal const uint CtxDefault = 0;
}
