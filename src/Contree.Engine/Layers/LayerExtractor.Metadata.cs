using System.Formats.Tar;
using System.Runtime.InteropServices;
using System.Text;
using Contree.Engine.Interop;
using Contree.Engine.Storage;

namespace Contree.Engine.Layers;

internal sealed partial class LayerExtractor
{
    // PAX extended attributes as written by GNU tar and Go's archive/tar (pax(1) "SCHILY.xattr.").
    private const string XattrPrefix = "SCHILY.xattr.";

    // errno values (errno(3), Linux).
    private const int EPERM = 1;
    private const int EOPNOTSUPP = 95;

    /// <summary>
    /// A directory the layer implies without an entry of its own (the layer root, a missing parent) belongs to the image's
    /// root, as in other runtimes; created by host root, it would be nobody's inside the sandbox.
    /// </summary>
    private void OwnAsImageRoot(string path)
    {
        if (_canChown)
        {
            Libc.CheckIo(Libc.Lchown(path, SandboxIds.ToHost(0), SandboxIds.ToHost(0)), path, "lchown");
        }
    }

    /// <summary>Owner first (chown clears setuid/setgid), then mode, xattrs and finally the mtime.</summary>
    private void ApplyMetadata(TarEntry entry, string path, bool isSymlink)
    {
        if (_canChown)
        {
            // Stored under the sandbox's host ids (docs/engine.md, "Sandbox identity"); ids beyond them become nobody.
            Libc.CheckIo(Libc.Lchown(path, SandboxIds.ToHost(entry.Uid), SandboxIds.ToHost(entry.Gid)), path, "lchown");
        }

        if (!isSymlink)
        {
            // The path is a file or directory this extraction created, never a symlink, so chmod cannot escape.
            File.SetUnixFileMode(path, entry.Mode & (UnixFileMode)0xFFF);
        }

        if (entry is PaxTarEntry pax)
        {
            foreach (var (key, value) in pax.ExtendedAttributes)
            {
                if (key.StartsWith(XattrPrefix, StringComparison.Ordinal))
                {
                    ApplyXattr(path, key[XattrPrefix.Length..], value, isSymlink);
                }
            }
        }

        SetModificationTime(path, entry.ModificationTime);
    }

    private void ApplyXattr(string path, string name, string value, bool isSymlink)
    {
        // trusted.* needs CAP_SYS_ADMIN and overlay xattrs would let a layer forge whiteouts or redirects; a
        // value with U+FFFD was binary data that System.Formats.Tar decoded lossily (e.g. security.capability);
        // Linux allows no user.* xattrs on symlinks (xattr(7)).
        if (name.Length == 0
            || name.StartsWith("trusted.", StringComparison.Ordinal)
            || name.Contains("overlay", StringComparison.OrdinalIgnoreCase)
            || value.Contains('\uFFFD', StringComparison.Ordinal)
            || (isSymlink && name.StartsWith("user.", StringComparison.Ordinal)))
        {
            _skippedAttributes++;
            return;
        }

        var bytes = Encoding.UTF8.GetBytes(value);
        if (Libc.Lsetxattr(path, name, bytes, (nuint)bytes.Length, 0) == -1)
        {
            // A namespace this filesystem or kernel does not support (EOPNOTSUPP) or does not let us set (EPERM)
            // is skipped like Docker does; any other failure is an I/O error.
            var errno = Marshal.GetLastPInvokeError();
            if (errno is EOPNOTSUPP or EPERM)
            {
                _skippedAttributes++;
                return;
            }

            Libc.CheckIo(-1, path, "lsetxattr " + name);
        }
    }

    private static void SetXattr(string path, string name, ReadOnlySpan<byte> value) =>
        Libc.CheckIo(Libc.Lsetxattr(path, name, value, (nuint)value.Length, 0), path, "lsetxattr " + name);

    private static void SetModificationTime(string path, DateTimeOffset time)
    {
        var ticks = time.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        var seconds = Math.DivRem(ticks, TimeSpan.TicksPerSecond, out var remainder);
        if (remainder < 0)
        {
            seconds--;
            remainder += TimeSpan.TicksPerSecond;
        }

        var spec = new Libc.Timespec { Seconds = seconds, Nanoseconds = remainder * 100 };
        ReadOnlySpan<Libc.Timespec> times = [spec, spec];
        Libc.CheckIo(Libc.Utimensat(Libc.AT_FDCWD, path, times, Libc.AT_SYMLINK_NOFOLLOW), path, "utimensat");
    }

    /// <summary>Applies directory entries' metadata deepest first, after all content was written.</summary>
    private void ApplyDirectoryMetadata()
    {
        foreach (var (relative, entry) in _directories.OrderByDescending(d => d.Key.Count(c => c == '/')).ThenByDescending(d => d.Key.Length))
        {
            var path = FullPath(relative);
            if (relative.Length > 0 && !IsRealDirectoryChain(relative))
            {
                continue;
            }

            ApplyMetadata(entry, path, isSymlink: false);
        }
    }
}
