using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    // fchown: https://man7.org/linux/man-pages/man2/fchown.2.html
    [LibraryImport(Library, EntryPoint = "fchown", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Fchown(int fd, uint owner, uint group);
}
