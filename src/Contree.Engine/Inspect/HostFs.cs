using System.Runtime.InteropServices;
using System.Text;
using Contree.Engine.Interop;

namespace Contree.Engine.Inspect;

/// <summary>Reads metadata of host paths inside layer directories without following symlinks.</summary>
internal static class HostFs
{
    private const int Enoent = 2;
    private const int Enotdir = 20;
    private const int Enodata = 61;
    private const int Eopnotsupp = 95;
    private const int Erange = 34;

    /// <summary>lstat: false when the path does not exist (ENOENT, ENOTDIR); other errors throw.</summary>
    public static bool TryLstat(string path, out FileStat stat) => TryStatAt(Libc.AT_FDCWD, path, path, out stat);

    /// <summary>
    /// lstat of <paramref name="name"/> relative to the open directory <paramref name="directoryFd"/>;
    /// <paramref name="directory"/> only names it in errors.
    /// </summary>
    public static bool TryStatAt(int directoryFd, string name, string directory, out FileStat stat)
    {
        var result = Libc.Statx(directoryFd, name, Libc.AT_SYMLINK_NOFOLLOW, Libc.STATX_BASIC_STATS, out var buffer);
        if (result == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno is Enoent or Enotdir)
            {
                stat = default;
                return false;
            }

            Libc.CheckIo(result, directoryFd == Libc.AT_FDCWD ? name : Path.Join(directory, name), "statx");
        }

        stat = new FileStat(
            Mode: buffer.Mode,
            Uid: buffer.Uid,
            Gid: buffer.Gid,
            Size: (long)buffer.Size,
            Blocks: (long)buffer.Blocks,
            Nlink: buffer.Nlink,
            Inode: buffer.Ino,
            Device: ((ulong)buffer.DevMajor << 32) | buffer.DevMinor,
            AtimeSeconds: buffer.AtimeSeconds,
            AtimeNanoseconds: buffer.AtimeNanoseconds,
            MtimeSeconds: buffer.MtimeSeconds,
            MtimeNanoseconds: buffer.MtimeNanoseconds,
            RdevMajor: buffer.RdevMajor,
            RdevMinor: buffer.RdevMinor);
        return true;
    }

    /// <summary>lstat that throws <see cref="FileNotFoundException"/> for a missing path.</summary>
    public static FileStat Lstat(string path) =>
        TryLstat(path, out var stat) ? stat : throw new FileNotFoundException($"'{path}' does not exist", path);

    /// <summary>The value of xattr <paramref name="name"/> on the path itself, or null when absent or unsupported.</summary>
    public static byte[]? GetXattr(string path, string name)
    {
        Span<byte> small = stackalloc byte[256];
        var length = Libc.Lgetxattr(path, name, small, (nuint)small.Length);
        if (length >= 0)
        {
            return small[..(int)length].ToArray();
        }

        var errno = Marshal.GetLastPInvokeError();
        if (errno is Enodata or Eopnotsupp or Enoent)
        {
            return null;
        }

        if (errno != Erange)
        {
            Libc.CheckIo(-1, path, "lgetxattr " + name);
        }

        // The value is larger than 256 bytes: ask for its size, then read it.
        var needed = Libc.Lgetxattr(path, name, [], 0);
        Libc.CheckIo(needed < 0 ? -1 : 0, path, "lgetxattr " + name);
        var buffer = new byte[needed];
        length = Libc.Lgetxattr(path, name, buffer, (nuint)buffer.Length);
        Libc.CheckIo(length < 0 ? -1 : 0, path, "lgetxattr " + name);
        return buffer[..(int)length];
    }

    /// <summary>Names of the xattrs on the path itself (empty when the filesystem has none).</summary>
    public static IReadOnlyList<string> ListXattrs(string path)
    {
        var needed = Libc.Llistxattr(path, [], 0);
        if (needed < 0)
        {
            var errno = Marshal.GetLastPInvokeError();
            if (errno == Eopnotsupp)
            {
                return [];
            }

            Libc.CheckIo(-1, path, "llistxattr");
        }

        if (needed == 0)
        {
            return [];
        }

        var buffer = new byte[needed];
        var length = Libc.Llistxattr(path, buffer, (nuint)buffer.Length);
        Libc.CheckIo(length < 0 ? -1 : 0, path, "llistxattr");
        return Encoding.UTF8.GetString(buffer, 0, (int)length).Split('\0', StringSplitOptions.RemoveEmptyEntries);
    }

    /// <summary>
    /// Whether a directory is opaque (hides lower layers' content): xattr <c>user.overlay.opaque</c> = "y" (the
    /// engine mounts with <c>userxattr</c>), or <c>trusted.overlay.opaque</c> from layers written by other tools.
    /// https://docs.kernel.org/filesystems/overlayfs.html#whiteouts-and-opaque-directories
    /// </summary>
    public static bool IsOpaque(string directory) =>
        IsY(GetXattr(directory, "user.overlay.opaque")) || IsY(GetXattr(directory, "trusted.overlay.opaque"));

    /// <summary>True for xattrs that belong to overlayfs itself and must not be copied into a squashed layer.</summary>
    public static bool IsOverlayXattr(string name) =>
        name.StartsWith("user.overlay.", StringComparison.Ordinal) || name.StartsWith("trusted.overlay.", StringComparison.Ordinal);

    private static bool IsY(byte[]? value) => value is [(byte)'y', ..];
}
