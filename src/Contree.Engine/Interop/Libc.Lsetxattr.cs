using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    // lsetxattr: https://man7.org/linux/man-pages/man2/lsetxattr.2.html (acts on a symlink itself, not its target)
    [LibraryImport(Library, EntryPoint = "lsetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Lsetxattr(string path, string name, ReadOnlySpan<byte> value, nuint size, int flags);
}
