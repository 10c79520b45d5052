using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    // setns: https://man7.org/linux/man-pages/man2/setns.2.html (a network namespace is joined by the calling thread)
    [LibraryImport(Library, EntryPoint = "setns", SetLastError = true)]
    internal static partial int Setns(int fd, int namespaceType);
}
