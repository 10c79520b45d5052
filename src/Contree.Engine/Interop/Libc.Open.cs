using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    internal const int O_RDONLY = 0x0;

    internal const int O_WRONLY = 0x1;

    internal const int O_CREAT = 0x40;

    internal const int O_TRUNC = 0x200;

    internal const int O_DIRECTORY = 0x10000;

    internal const int O_NOFOLLOW = 0x20000;

    internal const int O_CLOEXEC = 0x80000;

    // open: https://man7.org/linux/man-pages/man2/open.2.html
    [LibraryImport(Library, EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Open(string path, int flags, uint mode);
}
