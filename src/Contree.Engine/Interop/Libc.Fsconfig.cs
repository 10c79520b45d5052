using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    internal const uint FSCONFIG_SET_FLAG = 0;

    internal const uint FSCONFIG_SET_STRING = 1;

    internal const uint FSCONFIG_CMD_CREATE = 6;

    // fsconfig: https://man7.org/linux/man-pages/man2/fsconfig.2.html
    [LibraryImport(Library, EntryPoint = "fsconfig", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Fsconfig(int fd, uint command, string? key, string? value, int aux);
}
