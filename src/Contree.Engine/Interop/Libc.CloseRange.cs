using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    /// <summary>CLOSE_RANGE_CLOEXEC: mark the descriptors close-on-exec instead of closing them (Linux 5.11).</summary>
    internal const uint CLOSE_RANGE_CLOEXEC = 1u << 2;

    // close_range: https://man7.org/linux/man-pages/man2/close_range.2.html
    [LibraryImport(Library, EntryPoint = "close_range", SetLastError = true)]
    internal static partial int CloseRange(uint first, uint last, uint flags);
}
