using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    /// <summary>File type bits of <c>st_mode</c> (inode(7)).</summary>
    internal const uint S_IFCHR = 0x2000;

    internal const uint S_IFIFO = 0x1000;

    // mknod: https://man7.org/linux/man-pages/man2/mknod.2.html
    [LibraryImport(Library, EntryPoint = "mknod", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mknod(string path, uint mode, ulong device);
}
