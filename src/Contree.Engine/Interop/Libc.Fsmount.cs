using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    internal const uint FSMOUNT_CLOEXEC = 0x1;

    // fsmount: https://man7.org/linux/man-pages/man2/fsmount.2.html
    [LibraryImport(Library, EntryPoint = "fsmount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Fsmount(int fd, uint flags, uint attributeFlags);
}
