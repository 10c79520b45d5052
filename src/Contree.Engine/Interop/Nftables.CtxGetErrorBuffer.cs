using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Nftables
{
    // nft_ctx_get_error_buffer: libnftables(3); the buffer belongs to the context.
    [LibraryImport(Library, EntryPoint = "nft_ctx_get_error_buffer")]
    internal static partial IntPtr CtxGetErrorBuffer(IntPtr context);
}
