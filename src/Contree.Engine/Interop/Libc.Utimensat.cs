using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    // AT_FDCWD is declared in Libc.MoveMount.cs.

    /// <summary>Change the symlink itself rather than its target (fcntl.h).</summary>
    internal const int AT_SYMLINK_NOFOLLOW = 0x100;

    // utimensat: https://man7.org/linux/man-pages/man2/utimensat.2.html (times[0] = atime, times[1] = mtime)
    [LibraryImport(Library, EntryPoint = "utimensat", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Utimensat(int directoryFd, string path, ReadOnlySpan<Timespec> times, int flags);

    /// <summary><c>struct timespec</c> on 64-bit Linux.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }
}
