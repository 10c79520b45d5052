using System.Runtime.InteropServices;
using Contree.Core.Errors;
using Contree.Engine.Interop;

namespace Contree.Engine.Runtime;

/// <summary>
/// Mounts and unmounts the overlay of one run. Always with <c>userxattr</c>, so opaque directories are recorded as
/// <c>user.overlay.opaque</c> (overlayfs docs, "User xattr"): the store keeps them as ordinary xattrs.
/// </summary>
internal static class OverlayMount
{
    private const int Enosys = 38;

    /// <summary>Legacy mount(2) data is a single page (mount(2)); longer lowerdir lists need the fsconfig API.</summary>
    private const int LegacyOptionLimit = 4095;

    /// <summary>
    /// Mounts lowers (topmost first) + upper/work at <paramref name="merged"/>. <paramref name="volatileUpper"/> adds
    /// overlayfs' <c>volatile</c> option: no sync of the upper file system, notably none at unmount (overlayfs docs
    /// "Volatile mount"); only for uppers that are discarded after the run.
    /// </summary>
    public static void Mount(IReadOnlyList<string> lowers, string upper, string work, string merged, bool volatileUpper = false)
    {
        var fsFd = Libc.Fsopen("overlay", Libc.FSOPEN_CLOEXEC);
        if (fsFd == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Enosys)
            {
                MountLegacy(lowers, upper, work, merged, volatileUpper);
                return;
            }

            throw Failure("fsopen(overlay)", merged, errno);
        }

        try
        {
            // Kernel ≥ 6.8: "lowerdir+" appends one layer per call, first call = topmost, no 4 KiB option limit.
            foreach (var lower in lowers)
            {
                Check(Libc.Fsconfig(fsFd, Libc.FSCONFIG_SET_STRING, "lowerdir+", lower, 0), "fsconfig lowerdir+", lower);
            }

            Check(Libc.Fsconfig(fsFd, Libc.FSCONFIG_SET_STRING, "upperdir", upper, 0), "fsconfig upperdir", upper);
            Check(Libc.Fsconfig(fsFd, Libc.FSCONFIG_SET_STRING, "workdir", work, 0), "fsconfig workdir", work);
            Check(Libc.Fsconfig(fsFd, Libc.FSCONFIG_SET_FLAG, "userxattr", null, 0), "fsconfig userxattr", merged);
            if (volatileUpper)
            {
                Check(Libc.Fsconfig(fsFd, Libc.FSCONFIG_SET_FLAG, "volatile", null, 0), "fsconfig volatile", merged);
            }

            Check(Libc.Fsconfig(fsFd, Libc.FSCONFIG_CMD_CREATE, null, null, 0), "fsconfig create overlay", merged);
            var mountFd = Libc.Fsmount(fsFd, Libc.FSMOUNT_CLOEXEC, 0);
            Check(mountFd, "fsmount", merged);
            try
            {
                Check(Libc.MoveMount(mountFd, string.Empty, Libc.AT_FDCWD, merged, Libc.MOVE_MOUNT_F_EMPTY_PATH), "move_mount", merged);
            }
            finally
            {
                _ = Libc.Close(mountFd);
            }
        }
        finally
        {
            _ = Libc.Close(fsFd);
        }
    }

    /// <summary>Lazily detaches the mount at <paramref name="merged"/>; false when nothing was mounted there.</summary>
    public static bool Unmount(string merged)
    {
        if (Libc.Umount2(merged, Libc.MNT_DETACH) == 0)
        {
            return true;
        }

        var errno = Marshal.GetLastPInvokeError();
        const int Einval = 22;
        const int Enoent = 2;
        if (errno is Einval or Enoent)
        {
            return false;
        }

        throw Failure("umount2", merged, errno);
    }

    private static void MountLegacy(IReadOnlyList<string> lowers, string upper, string work, string merged, bool volatileUpper)
    {
        var data = $"lowerdir={string.Join(':', lowers.Select(EscapeLegacy))},upperdir={EscapeLegacy(upper)},workdir={EscapeLegacy(work)},userxattr{(volatileUpper ? ",volatile" : string.Empty)}";
        if (data.Length > LegacyOptionLimit)
        {
            throw ContreeException.Internal(
                $"overlay of {lowers.Count} layers needs {data.Length} bytes of mount options, more than the {LegacyOptionLimit} that mount(2) accepts on this kernel (no fsopen); squash the image");
        }

        Check(Libc.Mount("overlay", merged, "overlay", 0, data), "mount overlay", merged);
    }

    // overlayfs splits lowerdir on ':' and the option string on ','; both are escaped with a backslash.
    private static string EscapeLegacy(string path) =>
        path.Replace("\\", "\\\\", StringComparison.Ordinal).Replace(":", "\\:", StringComparison.Ordinal).Replace(",", "\\,", StringComparison.Ordinal);

    private static void Check(int result, string operation, string path)
    {
        if (result == -1)
        {
            throw Failure(operation, path, Marshal.GetLastPInvokeError());
        }
    }

    private static ContreeException Failure(string operation, string path, int errno) =>
        ContreeException.Internal($"{operation} '{path}' failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
}
