using System.Formats.Tar;
using Contree.Core.Errors;
using Contree.Engine.Layers;
using Microsoft.Win32.SafeHandles;

namespace Contree.Engine.Registry;

/// <summary>
/// Files inside an uncompressed tar (an oci-archive or a docker-archive), read in place without unpacking: one
/// pass records where each regular file's data starts, and <see cref="Open"/> returns a view of that range.
/// Symlinks and hard links between members (older <c>docker save</c> output links shared layer.tar files) are
/// resolved inside the archive.
/// </summary>
internal sealed class TarImageFiles : ILocalImageFiles
{
    private const int MaxLinkHops = 8;

    private readonly string _path;
    private readonly SafeFileHandle _handle;
    private readonly Dictionary<string, (long Offset, long Length)> _files = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _links = new(StringComparer.Ordinal);

    private TarImageFiles(string path, SafeFileHandle handle)
    {
        _path = path;
        _handle = handle;
    }

    public static async Task<TarImageFiles> OpenAsync(string path, CancellationToken cancellationToken = default)
    {
        var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.Asynchronous);
        var files = new TarImageFiles(path, handle);
        try
        {
            await files.IndexAsync(cancellationToken);
            return files;
        }
        catch
        {
            files.Dispose();
            throw;
        }
    }

    private async Task IndexAsync(CancellationToken cancellationToken)
    {
        await using var stream = new FileStream(_path, FileMode.Open, FileAccess.Read, FileShare.Read, 4096, FileOptions.Asynchronous);
        await using var reader = new TarReader(stream, leaveOpen: true);
        try
        {
            while (await reader.GetNextEntryAsync(copyData: false, cancellationToken) is { } entry)
            {
                var name = LayerExtractor.NormalizeName(entry.Name, "name");
                switch (entry.EntryType)
                {
                    case TarEntryType.RegularFile or TarEntryType.V7RegularFile or TarEntryType.ContiguousFile:
                        // With a seekable archive TarReader moves the stream past the entry's data (padded to
                        // 512-byte records, POSIX ustar) before returning it. Blobs are verified by digest on
                        // ingest, so a wrong offset could never go unnoticed.
                        _files[name] = (stream.Position - ((entry.Length + 511) / 512 * 512), entry.Length);
                        _links.Remove(name);
                        break;
                    case TarEntryType.SymbolicLink:
                        var directory = name.Contains('/', StringComparison.Ordinal) ? name[..name.LastIndexOf('/')] : "";
                        _links[name] = entry.LinkName.StartsWith('/') ? entry.LinkName : directory + "/" + entry.LinkName;
                        _files.Remove(name);
                        break;
                    case TarEntryType.HardLink:
                        _links[name] = entry.LinkName;
                        _files.Remove(name);
                        break;
                    default:
                        break;
                }
            }
        }
        catch (Exception ex) when (ex is InvalidDataException or FormatException or EndOfStreamException)
        {
            throw ContreeException.InvalidArgument($"'{_path}' is not a valid tar archive: {ErrorCause.Describe(ex)}", ex);
        }
    }

    public Stream? Open(string relativePath)
    {
        var name = LayerExtractor.NormalizeName(relativePath, "path");
        for (var hop = 0; hop <= MaxLinkHops; hop++)
        {
            if (_files.TryGetValue(name, out var range))
            {
                return new FileRangeStream(_handle, range.Offset, range.Length);
            }

            if (!_links.TryGetValue(name, out var target))
            {
                return null;
            }

            name = ResolveInside(target);
        }

        throw ContreeException.InvalidArgument($"'{relativePath}' in archive '{_path}' is a chain of more than {MaxLinkHops} links");
    }

    /// <summary>Resolves '.' and '..' of a link target lexically, confined to the archive root.</summary>
    private static string ResolveInside(string target)
    {
        var parts = new List<string>();
        foreach (var part in target.Split('/'))
        {
            if (part.Length == 0 || part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                if (parts.Count > 0)
                {
                    parts.RemoveAt(parts.Count - 1);
                }

                continue;
            }

            parts.Add(part);
        }

        return string.Join('/', parts);
    }

    public void Dispose() => _handle.Dispose();
}
