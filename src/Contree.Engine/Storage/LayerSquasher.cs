using Contree.Engine.Inspect;
using Contree.Engine.Interop;

namespace Contree.Engine.Storage;

/// <summary>
/// Materialises the merged view of a layer chain into one directory, so a chain deeper than
/// <see cref="EngineOptions.MaxLayerDepth"/> becomes a single base layer. Whiteouts and opaque markers vanish
/// (they only ever hid lower content); type, permission bits (setuid/setgid/sticky included), uid/gid, atime
/// and mtime, symlink targets, device numbers and xattrs other than overlayfs' own are kept. Hard links within
/// one source layer stay hard links; links that overlayfs would show across layers become copies.
/// </summary>
internal static class LayerSquasher
{
    /// <param name="layerDirectories">The chain, topmost first.</param>
    /// <param name="destination">An existing, empty directory (the staging layer's <c>fs</c>).</param>
    public static void Squash(IReadOnlyList<string> layerDirectories, string destination, CancellationToken cancellationToken = default)
    {
        var resolver = new LayerResolver(layerDirectories);
        var links = new Dictionary<(ulong Device, ulong Inode), string>();
        CopyDirectory(resolver, resolver.Root, destination, links, cancellationToken);
        ApplyMetadata(resolver.Root, destination);
    }

    private static void CopyDirectory(
        LayerResolver resolver, MergedEntry directory, string destination, Dictionary<(ulong, ulong), string> links, CancellationToken cancellationToken)
    {
        foreach (var entry in resolver.List(directory))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var target = Path.Join(destination, entry.Name);
            var stat = entry.Stat;
            if (stat.IsDirectory)
            {
                Directory.CreateDirectory(target);
                CopyDirectory(resolver, entry, target, links, cancellationToken);
            }
            else if (stat.IsRegular)
            {
                if (stat.Nlink > 1 && links.TryGetValue((stat.Device, stat.Inode), out var first))
                {
                    Libc.CheckIo(Libc.Link(first, target), target, "link");
                    continue;
                }

                File.Copy(entry.HostPath, target);
                if (stat.Nlink > 1)
                {
                    links[(stat.Device, stat.Inode)] = target;
                }
            }
            else if (stat.IsSymlink)
            {
                Libc.CheckIo(Libc.Symlink(entry.ReadLinkTarget(), target), target, "symlink");
            }
            else
            {
                // Character and block devices, FIFOs and sockets: mknod(2) makes all of them for root.
                Libc.CheckIo(Libc.Mknod(target, (uint)stat.Mode, stat.RawDevice), target, "mknod");
            }

            ApplyMetadata(entry, target);
        }
    }

    /// <summary>Owner first (chown clears setuid/setgid), then mode, xattrs, and times last (each step bumps ctime only).</summary>
    private static void ApplyMetadata(MergedEntry source, string target)
    {
        var stat = source.Stat;
        Libc.CheckIo(Libc.Lchown(target, stat.Uid, stat.Gid), target, "lchown");
        if (!stat.IsSymlink)
        {
            File.SetUnixFileMode(target, (UnixFileMode)stat.Permissions);
        }

        foreach (var name in HostFs.ListXattrs(source.HostPath))
        {
            if (HostFs.IsOverlayXattr(name) || HostFs.GetXattr(source.HostPath, name) is not { } value)
            {
                continue;
            }

            Libc.CheckIo(Libc.Lsetxattr(target, name, value, (nuint)value.Length, 0), target, "lsetxattr " + name);
        }

        ReadOnlySpan<Libc.Timespec> times =
        [
            new Libc.Timespec { Seconds = stat.AtimeSeconds, Nanoseconds = stat.AtimeNanoseconds },
            new Libc.Timespec { Seconds = stat.MtimeSeconds, Nanoseconds = stat.MtimeNanoseconds },
        ];
        Libc.CheckIo(Libc.Utimensat(Libc.AT_FDCWD, target, times, Libc.AT_SYMLINK_NOFOLLOW), target, "utimensat");
    }
}
