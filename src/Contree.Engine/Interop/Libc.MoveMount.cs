using System.Runtime.InteropServices;

namespace Contree.Engine.Interop;

internal static partial class Libc
{
    internal const int AT_FDCWD = -100;

    internal const uint MOVE_MOUNT_F_EMPTY_PATH = 0x4;

    // move_mount: https://man7.org/linux/man-pages/man2/move_mount.2.html
    [LibraryImport(Library, EntryPoint = "move_mount", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    internal static partial int MoveMount(int fromDirFd, string fromPath, int toDirFd, string toPath, uint flags);
}
