using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    internal const int SIGKILL = 9;

    // kill: https://man7.org/linux/man-pages/man2/kill.2.html
    [LibraryImport(Library, EntryPoint = "kill", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int Kill(int pid, int signal);
}
