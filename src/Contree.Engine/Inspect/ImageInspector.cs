using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Engine.Inspect;

/// <summary>
/// Answers E7–E10 (list, ls text, download, exists) for one image from its layer directories, without a
/// sandbox. Error messages name the image and the path.
/// </summary>
internal sealed class ImageInspector
{
    private readonly string _imageUuid;
    private readonly LayerResolver _resolver;

    /// <param name="layerDirectories">The image's layer directories, topmost first.</param>
    /// <param name="listings">Listings of committed layers shared between inspections; null reads them every time.</param>
    public ImageInspector(string imageUuid, IReadOnlyList<string> layerDirectories, LayerDirectoryCache? listings = null)
    {
        _imageUuid = imageUuid;
        _resolver = new LayerResolver(layerDirectories, listings);
    }

    public DirectoryList ListDirectory(string path)
    {
        var (normalized, entries) = ListEntries(path);
        return new DirectoryList { Path = normalized, Files = [.. entries.Select(ToFileItem)] };
    }

    public string ListDirectoryText(string path, DateTimeOffset now) => LsFormatter.Format(ListEntries(path).Entries, now);

    /// <summary>Opens the regular file at <paramref name="path"/> (symlinks followed inside the image) for reading.</summary>
    public FileStream OpenFile(string path)
    {
        var normalized = LayerResolver.Normalize(path);
        var entry = _resolver.Resolve(path, followFinal: true) ?? throw PathNotFound(normalized);
        if (NamesDirectory(path) && !entry.Stat.IsDirectory)
        {
            // POSIX: a trailing '/' after a file name is ENOTDIR.
            throw ContreeException.NotFound($"path {path} not found in image {_imageUuid}: {normalized} is not a directory");
        }

        if (entry.Stat.IsDirectory)
        {
            throw ContreeException.InvalidArgument($"path {normalized} in image {_imageUuid} is a directory, not a file");
        }

        if (!entry.Stat.IsRegular)
        {
            throw ContreeException.InvalidArgument($"path {normalized} in image {_imageUuid} is not a regular file");
        }

        return new FileStream(entry.HostPath, new FileStreamOptions
        {
            Mode = FileMode.Open,
            Access = FileAccess.Read,
            Share = FileShare.Read,
            Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        });
    }

    /// <summary>Whether a regular file (after following symlinks) exists at <paramref name="path"/>.</summary>
    public bool FileExists(string path)
    {
        try
        {
            return !NamesDirectory(path) && _resolver.Resolve(path, followFinal: true) is { Stat.IsRegular: true };
        }
        catch (ContreeException exception) when (exception.Kind == ContreeErrorKind.InvalidArgument)
        {
            // A path that cannot be resolved (a symlink loop) names no file, as test -f answers.
            return false;
        }
    }

    /// <summary>A path with a trailing '/' names a directory ("/etc/passwd/" is not the file /etc/passwd).</summary>
    private static bool NamesDirectory(string path) => path.Length > 1 && path.EndsWith('/');

    public static FileItem ToFileItem(LayerDirectoryEntry entry) => new()
    {
        Path = entry.Name,
        Size = entry.Stat.Size,
        // Owners as the image has them: the store keeps them under the sandbox's host ids.
        Owner = Storage.SandboxIds.ToImage(entry.Stat.Uid).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Group = Storage.SandboxIds.ToImage(entry.Stat.Gid).ToString(System.Globalization.CultureInfo.InvariantCulture),
        Mode = entry.Stat.Mode,
        Mtime = entry.Stat.MtimeSeconds,
        IsDir = entry.Stat.IsDirectory,
        IsRegular = entry.Stat.IsRegular,
        IsSymlink = entry.Stat.IsSymlink,
        IsSocket = entry.Stat.IsSocket,
        IsFifo = entry.Stat.IsFifo,
        SymlinkTo = entry.LinkTarget,
    };

    private (string Normalized, IReadOnlyList<LayerDirectoryEntry> Entries) ListEntries(string path)
    {
        var normalized = LayerResolver.Normalize(path);
        var entry = _resolver.Resolve(path, followFinal: true) ?? throw PathNotFound(normalized);
        if (!entry.Stat.IsDirectory)
        {
            throw ContreeException.InvalidArgument($"path {normalized} in image {_imageUuid} is not a directory");
        }

        return (normalized, _resolver.ListVisible(entry));
    }

    private ContreeException PathNotFound(string normalized) =>
        ContreeException.NotFound($"path {normalized} not found in image {_imageUuid}");
}
