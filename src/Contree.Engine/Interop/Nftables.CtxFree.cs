using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Nftables
{
    // nft_ctx_free: libnftables(3)
    [LibraryImport(Library, EntryPoint = "nft_ctx_free")]
    internal static partial void CtxFree(IntPtr context);
}
