using System.Globalization;
using System.Runtime.InteropServices;
using Contree.Core.Errors;
using Contree.Engine.Interop;

namespace Contree.Engine.Runtime;

/// <summary>
/// The size-limited file system that holds a run's upper and work directories when a per-run disk limit is set: a
/// tmpfs with <c>size=</c> and <c>nr_inodes=</c> (tmpfs(5)), mounted at <c>&lt;run directory&gt;/disk</c>. A command that
/// fills it gets ENOSPC; the host's disk is never touched. docs/engine.md ("Per-run disk limit") compares it with a
/// loop-mounted file system and project quotas.
/// </summary>
internal static class ScratchDisk
{
    /// <summary>Name of the mount point inside the run directory.</summary>
    public const string DirectoryName = "disk";

    /// <summary>One inode per 8 KiB of the limit: room for a tree of small files, not for an inode flood.</summary>
    public const long BytesPerInode = 8 * 1024;

    private const int Enotsup = 95;
    private const ulong MsNosuid = 0x2;
    private const ulong MsNodev = 0x4;

    /// <summary>The inode limit that goes with <paramref name="bytes"/>.</summary>
    public static long InodesFor(long bytes) => Math.Max(1024, bytes / BytesPerInode);

    /// <summary>Mounts the scratch file system in <paramref name="runDirectory"/>; returns its mount point.</summary>
    public static string Mount(string runDirectory, long bytes)
    {
        var mountPoint = Path.Combine(runDirectory, DirectoryName);
        Directory.CreateDirectory(mountPoint);
        var options = string.Create(CultureInfo.InvariantCulture, $"size={bytes},nr_inodes={InodesFor(bytes)},mode=0700");
        if (Libc.Mount("contree-disk", mountPoint, "tmpfs", MsNosuid | MsNodev, options) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            throw ContreeException.Internal($"mount tmpfs '{mountPoint}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }

        // overlayfs with userxattr records opaque directories as user.* xattrs on the upper; tmpfs has those only
        // since Linux 6.6, and without them deleting a directory of the image would fail inside the run.
        if (Libc.Lsetxattr(mountPoint, "user.contree.probe", "y"u8, 1, 0) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            Unmount(runDirectory);
            throw errno == Enotsup
                ? ContreeException.Unavailable(
                    "the per-run disk limit needs tmpfs with user extended attributes (Linux 6.6 or later); this kernel has none: turn the disk limit off (engine disk_limit = 0)")
                : ContreeException.Internal($"setxattr on '{mountPoint}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
        }

        return mountPoint;
    }

    /// <summary>Detaches the scratch file system of <paramref name="runDirectory"/>; false when none was mounted.</summary>
    public static bool Unmount(string runDirectory) => OverlayMount.Unmount(Path.Combine(runDirectory, DirectoryName));
}
