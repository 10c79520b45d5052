using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Nftables
{
    // nft_ctx_new: https://www.netfilter.org/projects/nftables/manpage.html (libnftables(3)); opens the netlink socket
    // in the calling thread's network namespace.
    [LibraryImport(Library, EntryPoint = "nft_ctx_new")]
    internal static partial IntPtr CtxNew(uint flags);
}
