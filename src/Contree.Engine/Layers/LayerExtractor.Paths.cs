using Contree.Core.Errors;

namespace Contree.Engine.Layers;

internal sealed partial class LayerExtractor
{
    /// <summary>What is at a path, by lstat semantics (a symlink is reported as a symlink, never followed).</summary>
    private enum NodeKind
    {
        Missing,
        Directory,
        Symlink,
        Other,
    }

    /// <summary>
    /// Turns a tar name into a relative path: strips leading <c>./</c> and <c>/</c>, drops empty and <c>.</c>
    /// components and rejects NUL and <c>..</c> (an absolute name is taken relative to the layer root, as
    /// container runtimes do).
    /// </summary>
    internal static string NormalizeName(string name, string what)
    {
        if (name.Contains('\0', StringComparison.Ordinal))
        {
            throw ContreeException.InvalidArgument($"layer entry {what} '{name.Replace("\0", "\\0", StringComparison.Ordinal)}' contains a NUL byte");
        }

        var parts = new List<string>();
        foreach (var part in name.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw ContreeException.InvalidArgument($"layer entry {what} '{name}' contains a '..' component");
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    private string FullPath(string relative) => relative.Length == 0 ? _root : Path.Join(_root, relative);

    private static NodeKind GetKind(string path)
    {
        var info = new FileInfo(path);
        var attributes = info.Attributes;
        if ((int)attributes == -1)
        {
            return NodeKind.Missing;
        }

        if (info.LinkTarget is not null || attributes.HasFlag(FileAttributes.ReparsePoint))
        {
            return NodeKind.Symlink;
        }

        return attributes.HasFlag(FileAttributes.Directory) ? NodeKind.Directory : NodeKind.Other;
    }

    private static bool IsRealDirectory(string path) => GetKind(path) == NodeKind.Directory;

    private static bool IsRegularFile(string path) => GetKind(path) == NodeKind.Other;

    /// <summary>
    /// Makes sure every component of <paramref name="relative"/> is a real directory inside the root, creating
    /// missing ones. A symlink or a non-directory on the way is refused: writing through it could reach the host.
    /// </summary>
    private void EnsureDirectory(string relative, string entryName)
    {
        if (relative.Length == 0)
        {
            return;
        }

        var current = _root;
        foreach (var part in relative.Split('/'))
        {
            current = Path.Join(current, part);
            switch (GetKind(current))
            {
                case NodeKind.Missing:
                    Directory.CreateDirectory(current);
                    OwnAsImageRoot(current);
                    break;
                case NodeKind.Directory:
                    break;
                case NodeKind.Symlink:
                    throw ContreeException.InvalidArgument(
                        $"layer entry '{entryName}' would be written through '{Path.GetRelativePath(_root, current)}', which is a symlink in this layer");
                default:
                    throw ContreeException.InvalidArgument(
                        $"layer entry '{entryName}' would be written under '{Path.GetRelativePath(_root, current)}', which is not a directory");
            }
        }
    }

    /// <summary>True when every component of <paramref name="relative"/> is an existing real directory.</summary>
    private bool IsRealDirectoryChain(string relative)
    {
        var current = _root;
        foreach (var part in relative.Split('/'))
        {
            current = Path.Join(current, part);
            if (GetKind(current) != NodeKind.Directory)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes whatever a later entry replaces (tar semantics: the last entry of a name wins).</summary>
    private void RemoveExisting(string relative)
    {
        var path = FullPath(relative);
        switch (GetKind(path))
        {
            case NodeKind.Missing:
                return;
            case NodeKind.Directory:
                // Recursive delete unlinks symlinks inside instead of following them.
                Directory.Delete(path, recursive: true);
                var prefix = relative + "/";
                _regularFiles.RemoveWhere(p => p.StartsWith(prefix, StringComparison.Ordinal));
                foreach (var key in _directories.Keys.Where(k => k == relative || k.StartsWith(prefix, StringComparison.Ordinal)).ToList())
                {
                    _directories.Remove(key);
                }

                break;
            default:
                File.Delete(path);
                _regularFiles.Remove(relative);
                break;
        }
    }
}
