using Contree.Core.Errors;

namespace Contree.Engine.Inspect;

/// <summary>
/// The merged view of a layer chain, computed with plain file I/O: what overlayfs would show, without mounting.
/// </summary>
/// <remarks>
/// Rules (https://docs.kernel.org/filesystems/overlayfs.html): a name is looked up top-down; a whiteout (char
/// device 0/0) hides it in every lower layer; a non-directory hides lower entries; directories merge until an
/// opaque one (xattr <c>user.overlay.opaque</c> or <c>trusted.overlay.opaque</c> = y) or a non-directory is met.
/// Symlinks are resolved inside the image root as the kernel would inside a chroot: absolute targets restart at
/// the image root, <c>..</c> stops at the root, and at most 40 links are followed (path_resolution(7)). Host paths
/// are only ever built from entries that lstat showed to be real directories, so a link never leads outside.
/// </remarks>
internal sealed class LayerResolver
{
    /// <summary>MAXSYMLINKS in path_resolution(7).</summary>
    public const int MaxSymlinkHops = 40;

    private readonly LayerDirectoryCache? _listings;

    /// <param name="layerDirectories">The image's layer directories, topmost first.</param>
    /// <param name="listings">Where <see cref="ListVisible"/> keeps the listings of committed layers; null reads them every time.</param>
    public LayerResolver(IReadOnlyList<string> layerDirectories, LayerDirectoryCache? listings = null)
    {
        _listings = listings;
        ArgumentNullException.ThrowIfNull(layerDirectories);
        if (layerDirectories.Count == 0)
        {
            throw new ArgumentException("an image needs at least one layer", nameof(layerDirectories));
        }

        var dirs = new List<string>();
        FileStat? top = null;
        foreach (var dir in layerDirectories)
        {
            if (!HostFs.TryLstat(dir, out var stat) || !stat.IsDirectory)
            {
                throw ContreeException.Internal($"layer directory '{dir}' is missing");
            }

            top ??= stat;
            dirs.Add(dir);
            if (HostFs.IsOpaque(dir))
            {
                break;
            }
        }

        Root = new MergedEntry("", layerDirectories[0], top!.Value, dirs);
    }

    public MergedEntry Root { get; }

    /// <summary>Splits a path into its names; "", "/" and "." give none.</summary>
    public static List<string> Split(string path) =>
        [.. path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(n => n != ".")];

    /// <summary>"/a/b" form of a path: leading slash added, "." dropped, ".." clamped at the root.</summary>
    public static string Normalize(string path)
    {
        var stack = new List<string>();
        foreach (var name in Split(path))
        {
            if (name == "..")
            {
                if (stack.Count > 0)
                {
                    stack.RemoveAt(stack.Count - 1);
                }
            }
            else
            {
                stack.Add(name);
            }
        }

        return "/" + string.Join('/', stack);
    }

    /// <summary>
    /// Resolves <paramref name="path"/> in the image; null when a component is missing or not a directory.
    /// Intermediate symlinks are always followed; the last one only when <paramref name="followFinal"/>.
    /// </summary>
    public MergedEntry? Resolve(string path, bool followFinal)
    {
        var pending = new Queue<string>(Split(path));
        var stack = new List<MergedEntry> { Root };
        var hops = 0;
        while (pending.TryDequeue(out var name))
        {
            if (name == "..")
            {
                if (stack.Count > 1)
                {
                    stack.RemoveAt(stack.Count - 1);
                }

                continue;
            }

            var current = stack[^1];
            if (!current.Stat.IsDirectory)
            {
                return null;
            }

            var child = Lookup(current.Directories, name);
            if (child is null)
            {
                return null;
            }

            if (child.Stat.IsSymlink && (pending.Count > 0 || followFinal))
            {
                if (++hops > MaxSymlinkHops)
                {
                    throw ContreeException.InvalidArgument($"too many levels of symbolic links resolving {Normalize(path)}");
                }

                var target = child.ReadLinkTarget();
                var rest = Split(target);
                rest.AddRange(pending);
                pending = new Queue<string>(rest);
                if (target.StartsWith('/'))
                {
                    stack.RemoveRange(1, stack.Count - 1);
                }

                continue;
            }

            stack.Add(child);
        }

        return stack[^1];
    }

    /// <summary>The merged entries of a directory from <see cref="Resolve"/>, sorted by name (ordinal).</summary>
    public IReadOnlyList<MergedEntry> List(MergedEntry directory)
    {
        if (!directory.Stat.IsDirectory)
        {
            throw new ArgumentException($"'{directory.HostPath}' is not a directory", nameof(directory));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var entries = new List<MergedEntry>();
        foreach (var hostDir in directory.Directories)
        {
            foreach (var hostPath in Directory.EnumerateFileSystemEntries(hostDir))
            {
                var name = Path.GetFileName(hostPath);
                if (seen.Add(name) && Lookup(directory.Directories, name) is { } entry)
                {
                    entries.Add(entry);
                }
            }
        }

        entries.Sort((a, b) => string.CompareOrdinal(a.Name, b.Name));
        return entries;
    }

    /// <summary>
    /// What <c>ls</c> of a directory from <see cref="Resolve"/> shows, sorted by name (ordinal): for each name, the
    /// topmost layer's entry unless that is a whiteout. The same answer as <see cref="List"/> without merging child
    /// directories, so it needs no lookups beyond one listing per layer that holds the directory.
    /// </summary>
    public IReadOnlyList<LayerDirectoryEntry> ListVisible(MergedEntry directory)
    {
        if (!directory.Stat.IsDirectory)
        {
            throw new ArgumentException($"'{directory.HostPath}' is not a directory", nameof(directory));
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var visible = new List<LayerDirectoryEntry>();
        foreach (var hostDir in directory.Directories)
        {
            var entries = _listings?.Read(hostDir) ?? LayerDirectoryCache.ReadFromDisk(hostDir);
            foreach (var entry in entries)
            {
                // The topmost layer holding a name decides it; a whiteout there hides it in every lower one.
                if (seen.Add(entry.Name) && !entry.Stat.IsWhiteout)
                {
                    visible.Add(entry);
                }
            }
        }

        visible.Sort(static (a, b) => string.CompareOrdinal(a.Name, b.Name));
        return visible;
    }

    /// <summary>Looks <paramref name="name"/> up in a merged directory made of <paramref name="parents"/> (topmost first).</summary>
    private static MergedEntry? Lookup(IReadOnlyList<string> parents, string name)
    {
        string? topPath = null;
        FileStat topStat = default;
        List<string>? dirs = null;
        foreach (var parent in parents)
        {
            var path = Path.Join(parent, name);
            if (!HostFs.TryLstat(path, out var stat))
            {
                continue;
            }

            if (stat.IsWhiteout)
            {
                break;
            }

            if (!stat.IsDirectory)
            {
                if (topPath is null)
                {
                    return new MergedEntry(name, path, stat, []);
                }

                break;
            }

            if (topPath is null)
            {
                topPath = path;
                topStat = stat;
                dirs = [];
            }

            dirs!.Add(path);
            if (HostFs.IsOpaque(path))
            {
                break;
            }
        }

        return topPath is null ? null : new MergedEntry(name, topPath, topStat, dirs!);
    }
}
