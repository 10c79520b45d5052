using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Nftables
{
    // nft_ctx_buffer_error: libnftables(3); collects error messages for nft_ctx_get_error_buffer instead of stderr.
    [LibraryImport(Library, EntryPoint = "nft_ctx_buffer_error")]
    internal static partial int CtxBufferError(IntPtr context);
}
