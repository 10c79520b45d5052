using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    // lgetxattr: https://man7.org/linux/man-pages/man2/lgetxattr.2.html (reads a symlink's own xattrs, never its
    // target's). Returns the value length, or -1 with errno ENODATA when the attribute is absent.
    [LibraryImport(Library, EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial nint Lgetxattr(string path, string name, Span<byte> value, nuint size);
}
