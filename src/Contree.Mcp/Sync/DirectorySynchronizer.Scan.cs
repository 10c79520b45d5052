using Contree.Core.Errors;

namespace Contree.Mcp.Sync;

internal sealed partial class DirectorySynchronizer
{
    private static readonly EnumerationOptions OneLevel = new()
    {
        // Dotfiles count as "hidden" on Unix; the sync includes them.
        AttributesToSkip = 0,
        IgnoreInaccessible = false,
        RecurseSubdirectories = false,
        ReturnSpecialDirectories = false,
    };

    /// <summary>The source as an absolute, symlink-resolved directory; a missing path or a file is a clear error.</summary>
    internal static string ResolveRoot(string source)
    {
        var full = Path.GetFullPath(source);
        if (File.Exists(full) && !Directory.Exists(full))
        {
            throw ContreeException.InvalidArgument($"source must be a directory, got a file: {source} (use upload for a single file)");
        }

        if (!Directory.Exists(full))
        {
            throw ContreeException.NotFound($"source path does not exist: {source}");
        }

        var info = new DirectoryInfo(full);
        if (info.LinkTarget is not null && info.ResolveLinkTarget(returnFinalTarget: true) is { } target)
        {
            full = Path.GetFullPath(target.FullName);
        }

        return Path.TrimEndingDirectorySeparator(full);
    }

    /// <summary>
    /// Every regular file below <paramref name="root"/> that no pattern excludes, sorted by relative path. Symlinks to
    /// files count with their target's stat; symlinked directories and excluded directories are not descended.
    /// </summary>
    internal static IReadOnlyList<LocalEntry> Scan(string root, ExcludeMatcher matcher)
    {
        var result = new List<LocalEntry>();
        var pending = new Stack<(string Directory, string Relative)>();
        pending.Push((root, ""));
        while (pending.Count > 0)
        {
            var (directory, relative) = pending.Pop();
            IEnumerable<FileSystemInfo> entries;
            try
            {
                entries = new DirectoryInfo(directory).EnumerateFileSystemInfos("*", OneLevel).ToList();
            }
            catch (Exception ex) when (ex is UnauthorizedAccessException or IOException)
            {
                throw ContreeException.InvalidArgument($"cannot read directory '{directory}': {ErrorCause.Describe(ex)}", ex);
            }

            foreach (var entry in entries)
            {
                var relativePath = relative.Length == 0 ? entry.Name : relative + "/" + entry.Name;
                var isLink = entry.LinkTarget is not null;
                var isDirectory = entry is DirectoryInfo;
                if (isDirectory && !isLink)
                {
                    if (!matcher.IsExcluded(relativePath, isDirectory: true))
                    {
                        pending.Push((entry.FullName, relativePath));
                    }

                    continue;
                }

                var stat = isLink ? entry.ResolveLinkTarget(returnFinalTarget: true) : entry;
                if (stat is not FileInfo { Exists: true } file || matcher.IsExcluded(relativePath, isDirectory: false))
                {
                    continue; // a symlinked directory, a dangling symlink, or excluded
                }

                result.Add(new LocalEntry(entry.FullName, relativePath, StatOf(file)));
            }
        }

        result.Sort((a, b) => string.CompareOrdinal(a.RelativePath, b.RelativePath));
        return result;
    }

    private static LocalFileState StatOf(FileInfo file)
    {
        var mtimeNs = (file.LastWriteTimeUtc.Ticks - DateTime.UnixEpoch.Ticks) * 100;
        return new LocalFileState(file.Length, mtimeNs, (int)file.UnixFileMode & 0xFFF);
    }

    /// <summary>One local file found by the scan.</summary>
    internal sealed record LocalEntry(string AbsolutePath, string RelativePath, LocalFileState Stat);
}
