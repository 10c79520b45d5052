using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    // free: https://man7.org/linux/man-pages/man3/free.3.html (strings libseccomp allocates for its caller)
    [LibraryImport(Library, EntryPoint = "free")]
    internal static partial void Free(IntPtr pointer);
}
