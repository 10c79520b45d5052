using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Nftables
{
    // nft_run_cmd_from_buffer: libnftables(3); runs an nft(8) script as one transaction, 0 on success.
    [LibraryImport(Library, EntryPoint = "nft_run_cmd_from_buffer", StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int RunCmdFromBuffer(IntPtr context, string buffer);
}
