using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    // close: https://man7.org/linux/man-pages/man2/close.2.html
    [LibraryImport(Library, EntryPoint = "close", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Close(int fd);
}
