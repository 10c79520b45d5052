using Contree.Core.Models;

namespace Contree.Engine.Inspect;

/// <summary>
/// What a run changed, read from its overlay upper directory (overlayfs: a changed or new entry is copied up, a
/// deleted one leaves a whiteout, a replaced directory is opaque; docs.kernel.org/filesystems/overlayfs.html), so the
/// cost follows the changes, not the image. Each entry is looked up in the image's layers only while its parent
/// existed there: below a new directory everything is new. Directories that were only copied up as parents of a
/// change are not listed.
/// </summary>
internal static class UpperChanges
{
    public static (IReadOnlyList<FilesystemChange> Listed, int Total) Collect(string upper, IReadOnlyList<string> lowerDirectories, int maxListed)
    {
        var image = new LayerResolver(lowerDirectories);
        var listed = new List<FilesystemChange>();
        var total = 0;
        Walk(upper, "", parentInImage: true);
        return (listed, total);

        void Add(string path, string change, FileStat stat)
        {
            total++;
            if (listed.Count < maxListed)
            {
                listed.Add(new FilesystemChange(path, change, change != FilesystemChangeKinds.Deleted && stat.IsRegular ? stat.Size : null));
            }
        }

        void Walk(string directory, string path, bool parentInImage)
        {
            foreach (var host in Directory.EnumerateFileSystemEntries(directory).Order(StringComparer.Ordinal))
            {
                var child = path + "/" + Path.GetFileName(host);
                if (!HostFs.TryLstat(host, out var stat))
                {
                    continue;
                }

                if (stat.IsWhiteout)
                {
                    Add(child, FilesystemChangeKinds.Deleted, stat);
                    continue;
                }

                var inImage = parentInImage && image.Resolve(child, followFinal: false) is not null;
                if (!stat.IsDirectory)
                {
                    Add(child, inImage ? FilesystemChangeKinds.Modified : FilesystemChangeKinds.Added, stat);
                    continue;
                }

                // Opaque: removed and made again, so what the image had below it is gone and the rest is new.
                var replaced = inImage && HostFs.IsOpaque(host);
                if (!inImage || replaced)
                {
                    Add(child, inImage ? FilesystemChangeKinds.Modified : FilesystemChangeKinds.Added, stat);
                }

                Walk(host, child, inImage && !replaced);
            }
        }
    }
}
