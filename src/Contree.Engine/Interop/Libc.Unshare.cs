using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    internal const int CLONE_NEWNET = 0x40000000;

    // unshare: https://man7.org/linux/man-pages/man2/unshare.2.html (CLONE_NEWNET acts on the calling thread)
    [LibraryImport(Library, EntryPoint = "unshare", SetLastError = true)]
    internal static partial int Unshare(int flags);
}
