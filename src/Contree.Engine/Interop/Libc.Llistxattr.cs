using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    // llistxattr: https://man7.org/linux/man-pages/man2/llistxattr.2.html: NUL-separated names; size 0 asks
    // for the needed length.
    [LibraryImport(Library, EntryPoint = "llistxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Llistxattr(string path, Span<byte> list, nuint size);
}
