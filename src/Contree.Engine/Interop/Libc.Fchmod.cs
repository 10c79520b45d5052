using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    // fchmod: https://man7.org/linux/man-pages/man2/fchmod.2.html
    [LibraryImport(Library, EntryPoint = "fchmod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Fchmod(int fd, uint mode);
}
