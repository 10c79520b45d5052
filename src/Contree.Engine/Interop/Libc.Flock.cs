using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    internal const int LOCK_SH = 1;
    internal const int LOCK_EX = 2;
    internal const int LOCK_NB = 4;

    /// <summary>errno when a non-blocking flock would wait.</summary>
    internal const int EWOULDBLOCK = 11;

    // flock: https://man7.org/linux/man-pages/man2/flock.2.html (locks belong to the open file description;
    // calling it again on the same descriptor converts between shared and exclusive).
    [LibraryImport(Library, EntryPoint = "flock", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Flock(int fd, int operation);
}
