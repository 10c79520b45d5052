using System.Formats.Tar;
using Contree.Core.Errors;
using Contree.Engine.Interop;

namespace Contree.Engine.Layers;

/// <summary>
/// Extracts one OCI layer tar into an empty directory in overlayfs upper format, treating the archive as hostile
/// (docs/import.md "Extraction rules"). Names are normalised and confined to the destination; no symlink on the
/// host is ever followed while writing; whiteouts become character devices 0/0 and opaque markers the
/// <c>user.overlay.opaque</c> xattr (OCI image spec, layer.md "Whiteouts"). On any failure it throws and the
/// caller discards the destination.
/// </summary>
internal sealed partial class LayerExtractor
{
    private const string WhiteoutPrefix = ".wh.";
    private const string OpaqueMarker = ".wh..wh..opq";

    private readonly string _root;
    private readonly LayerLimits _limits;
    private readonly bool _canChown = Environment.IsPrivilegedProcess;

    // Relative paths of regular files written by this extraction: the only valid hard-link targets.
    private readonly HashSet<string> _regularFiles = new(StringComparer.Ordinal);

    // Directory metadata is applied last, deepest first, so writing children does not disturb mtimes and a
    // read-only directory mode cannot block later entries.
    private readonly Dictionary<string, TarEntry> _directories = new(StringComparer.Ordinal);

    private long _entries;
    private long _fileBytes;
    private int _whiteouts;
    private int _opaque;
    private int _skippedAttributes;

    private LayerExtractor(string root, LayerLimits limits)
    {
        _root = root;
        _limits = limits;
    }

    /// <summary>
    /// Reads <paramref name="tar"/> with <see cref="TarReader"/> and writes its entries under
    /// <paramref name="destination"/> (an existing, empty directory). Throws an InvalidArgument
    /// <see cref="ContreeException"/> for a hostile or malformed archive or a layer over <paramref name="limits"/>.
    /// </summary>
    public static async Task<LayerStats> ExtractAsync(Stream tar, string destination, LayerLimits limits, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(tar);
        ArgumentException.ThrowIfNullOrEmpty(destination);
        ArgumentNullException.ThrowIfNull(limits);
        cancellationToken.ThrowIfCancellationRequested();
        var root = Path.GetFullPath(destination);
        if (!Directory.Exists(root))
        {
            throw new DirectoryNotFoundException($"layer destination '{root}' does not exist");
        }

        var extractor = new LayerExtractor(root, limits);
        extractor.OwnAsImageRoot(root);
        await extractor.RunAsync(tar, cancellationToken);
        return new LayerStats(extractor._entries, extractor._fileBytes, extractor._whiteouts, extractor._opaque, extractor._skippedAttributes);
    }

    private async Task RunAsync(Stream tar, CancellationToken cancellationToken)
    {
        await using var reader = new TarReader(tar, leaveOpen: true);
        while (true)
        {
            TarEntry? entry;
            try
            {
                entry = await reader.GetNextEntryAsync(copyData: false, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException or ArgumentException)
            {
                throw ContreeException.InvalidArgument($"layer is not a valid tar archive: {ErrorCause.Describe(ex)}", ex);
            }

            if (entry is null)
            {
                break;
            }

            if (++_entries > _limits.MaxEntries)
            {
                throw ContreeException.InvalidArgument($"layer exceeds the limit of {_limits.MaxEntries} entries");
            }

            try
            {
                await ExtractEntryAsync(entry, cancellationToken);
            }
            catch (Exception ex) when (ex is InvalidDataException or EndOfStreamException)
            {
                throw ContreeException.InvalidArgument($"layer entry '{entry.Name}' is truncated or malformed: {ErrorCause.Describe(ex)}", ex);
            }
        }

        ApplyDirectoryMetadata();
    }

    private async Task ExtractEntryAsync(TarEntry entry, CancellationToken cancellationToken)
    {
        switch (entry.EntryType)
        {
            // Global PAX headers carry defaults for readers; they describe no file.
            case TarEntryType.GlobalExtendedAttributes:
                return;
            case TarEntryType.CharacterDevice or TarEntryType.BlockDevice:
                throw ContreeException.InvalidArgument(
                    $"layer entry '{entry.Name}' is a device node; devices are not allowed in image layers");
            case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile
                or TarEntryType.Directory or TarEntryType.SymbolicLink or TarEntryType.HardLink or TarEntryType.Fifo:
                break;
            default:
                throw ContreeException.InvalidArgument($"layer entry '{entry.Name}' has unsupported tar type {entry.EntryType}");
        }

        var relative = NormalizeName(entry.Name, "name");
        if (relative.Length == 0)
        {
            // "./" or "/": the layer root itself. Only a directory entry makes sense here; keep its metadata.
            if (entry.EntryType != TarEntryType.Directory)
            {
                throw ContreeException.InvalidArgument($"layer entry '{entry.Name}' names the layer root but is not a directory");
            }

            _directories[""] = entry;
            return;
        }

        var slash = relative.LastIndexOf('/');
        var parent = slash < 0 ? "" : relative[..slash];
        var leaf = slash < 0 ? relative : relative[(slash + 1)..];

        if (leaf.StartsWith(WhiteoutPrefix, StringComparison.Ordinal))
        {
            ExtractWhiteout(entry, parent, leaf);
            return;
        }

        EnsureDirectory(parent, entry.Name);
        var path = FullPath(relative);
        switch (entry.EntryType)
        {
            case TarEntryType.Directory:
                if (!IsRealDirectory(path))
                {
                    RemoveExisting(relative);
                    Directory.CreateDirectory(path);
                }

                _directories[relative] = entry;
                break;
            case TarEntryType.SymbolicLink:
                ValidateLinkTarget(entry);
                RemoveExisting(relative);
                Libc.CheckIo(Libc.Symlink(entry.LinkName, path), path, "symlink");
                ApplyMetadata(entry, path, isSymlink: true);
                break;
            case TarEntryType.HardLink:
                ExtractHardLink(entry, relative, path);
                break;
            case TarEntryType.Fifo:
                RemoveExisting(relative);
                Libc.CheckIo(Libc.Mknod(path, Libc.S_IFIFO | 0x180 /* 0600 */, 0), path, "mknod");
                ApplyMetadata(entry, path, isSymlink: false);
                break;
            default:
                await ExtractRegularFileAsync(entry, relative, path, cancellationToken);
                break;
        }
    }

    private async Task ExtractRegularFileAsync(TarEntry entry, string relative, string path, CancellationToken cancellationToken)
    {
        if (entry.Length < 0 || entry.Length > _limits.MaxTotalBytes - _fileBytes)
        {
            throw ContreeException.InvalidArgument(
                $"layer exceeds the limit of {_limits.MaxTotalBytes} bytes of file content (entry '{entry.Name}' declares {entry.Length} bytes)");
        }

        RemoveExisting(relative);
        var options = new FileStreamOptions
        {
            Mode = FileMode.CreateNew, // O_CREAT|O_EXCL: never opens through a symlink
            Access = FileAccess.Write,
            UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
            PreallocationSize = entry.Length,
        };
        await using (var output = new FileStream(path, options))
        {
            if (entry.DataStream is { } data)
            {
                await data.CopyToAsync(output, cancellationToken);
            }

            if (output.Length != entry.Length)
            {
                throw ContreeException.InvalidArgument($"layer entry '{entry.Name}' is truncated: expected {entry.Length} bytes, got {output.Length}");
            }
        }

        _fileBytes += entry.Length;
        _regularFiles.Add(relative);
        ApplyMetadata(entry, path, isSymlink: false);
    }

    private void ExtractHardLink(TarEntry entry, string relative, string path)
    {
        var target = NormalizeName(entry.LinkName, "hard link target");
        if (target.Length == 0 || target == relative)
        {
            throw ContreeException.InvalidArgument($"layer entry '{entry.Name}' is a hard link to '{entry.LinkName}', which is not a file");
        }

        // Only regular files this extraction wrote, still in place under real directories, may be linked:
        // never anything outside the layer, a symlink, a directory or a later entry.
        var targetSlash = target.LastIndexOf('/');
        if (!_regularFiles.Contains(target)
            || (targetSlash > 0 && !IsRealDirectoryChain(target[..targetSlash]))
            || !IsRegularFile(FullPath(target)))
        {
            throw ContreeException.InvalidArgument(
                $"layer entry '{entry.Name}' is a hard link to '{entry.LinkName}', which is not a regular file extracted earlier in this layer");
        }

        RemoveExisting(relative);
        var targetPath = FullPath(target);
        Libc.CheckIo(Libc.Link(targetPath, path), path, "link");
        _regularFiles.Add(relative);
    }

    private void ExtractWhiteout(TarEntry entry, string parent, string leaf)
    {
        EnsureDirectory(parent, entry.Name);
        if (leaf == OpaqueMarker)
        {
            // OCI layer.md "Opaque Whiteout": hide every lower entry of this directory.
            var directory = parent.Length == 0 ? _root : FullPath(parent);
            SetXattr(directory, "user.overlay.opaque", "y"u8);
            _opaque++;
            return;
        }

        if (leaf.StartsWith(WhiteoutPrefix + WhiteoutPrefix, StringComparison.Ordinal))
        {
            // Other ".wh..wh." names are AUFS bookkeeping (e.g. .wh..wh.plnk); they describe no file.
            return;
        }

        var name = leaf[WhiteoutPrefix.Length..];
        if (name.Length == 0 || name is "." or "..")
        {
            throw ContreeException.InvalidArgument($"layer entry '{entry.Name}' is a whiteout without a valid name");
        }

        var relative = parent.Length == 0 ? name : parent + "/" + name;
        RemoveExisting(relative);
        var path = FullPath(relative);
        Libc.CheckIo(Libc.Mknod(path, Libc.S_IFCHR, 0), path, "mknod");
        _whiteouts++;
    }

    private static void ValidateLinkTarget(TarEntry entry)
    {
        if (entry.LinkName.Length == 0 || entry.LinkName.Contains('\0', StringComparison.Ordinal))
        {
            throw ContreeException.InvalidArgument($"layer entry '{entry.Name}' is a symlink with an empty or invalid target");
        }
    }
}
