using Contree.Engine.Interop;

namespace Contree.Engine.Tests.Inspect;

/// <summary>Writes hand-built layers in overlayfs upper format (whiteouts, opaque directories) for inspection tests.</summary>
internal static class LayerBuilder
{
    public static string Dir(string layer, string relative, int mode = 0b111_101_101)
    {
        var path = Path.Combine(layer, relative);
        Directory.CreateDirectory(path);
        System.IO.File.SetUnixFileMode(path, (UnixFileMode)mode);
        return path;
    }

    public static string File(string layer, string relative, string content, int mode = 0b110_100_100)
    {
        var path = Path.Combine(layer, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.WriteAllText(path, content);
        System.IO.File.SetUnixFileMode(path, (UnixFileMode)mode);
        return path;
    }

    public static string Symlink(string layer, string relative, string target)
    {
        var path = Path.Combine(layer, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        System.IO.File.CreateSymbolicLink(path, target);
        return path;
    }

    /// <summary>A whiteout: character device 0/0 (needs CAP_MKNOD, i.e. root).</summary>
    public static string Whiteout(string layer, string relative)
    {
        var path = Path.Combine(layer, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        Libc.CheckIo(Libc.Mknod(path, Libc.S_IFCHR, 0), path, "mknod");
        return path;
    }

    /// <summary>Marks a directory opaque with <paramref name="xattr"/> = "y".</summary>
    public static string Opaque(string layer, string relative, string xattr = "user.overlay.opaque")
    {
        var path = Dir(layer, relative);
        Libc.CheckIo(Libc.Lsetxattr(path, xattr, "y"u8, 1, 0), path, "lsetxattr");
        return path;
    }
}
