using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    internal const uint FSOPEN_CLOEXEC = 0x1;

    // fsopen: https://man7.org/linux/man-pages/man2/fsopen.2.html
    [LibraryImport(Library, EntryPoint = "fsopen", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Fsopen(string fsName, uint flags);
}
