using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    internal const ulong MS_BIND = 0x1000;

    internal const ulong MS_REC = 0x4000;

    internal const ulong MS_PRIVATE = 0x40000;

    internal const ulong MS_SHARED = 0x100000;

    // mount: https://man7.org/linux/man-pages/man2/mount.2.html
    [LibraryImport(Library, EntryPoint = "mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Mount(string? source, string target, string? fileSystemType, ulong flags, string? data);
}
