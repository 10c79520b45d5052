using System.ComponentModel;
using System.Text;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Core.References;
using Contree.Mcp.Results;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Tools;

/// <summary>list_files and read_file (docs/tools.md): look into an image without running anything.</summary>
[McpServerToolType]
internal sealed class InspectTools(IContreeBackend backend)
{
    public const int DefaultMaxBytes = 1024 * 1024;
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    [McpServerTool(Name = "list_files", Title = "List a directory in an image", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("List a directory of an image.")]
    public async Task<FileListResult> ListFilesAsync(
        [Description("The image: a UUID or 'tag:<name>'.")] string image,
        [Description("Directory to list; relative paths are taken from '/'.")] string path = "/",
        CancellationToken cancellationToken = default)
    {
        var uuid = await backend.ResolveImageAsync(image, cancellationToken);
        var directory = NormalizeDirectory(path);
        var listing = await backend.ListDirectoryAsync(uuid, directory, cancellationToken);
        var basePath = listing.Path.TrimEnd('/');
        var entries = listing.Files.Select(item =>
        {
            var name = item.Path.Contains('/', StringComparison.Ordinal) ? item.Path[(item.Path.LastIndexOf('/') + 1)..] : item.Path;
            return new FileEntry
            {
                Name = name,
                Path = basePath + "/" + name,
                Type = TypeOf(item),
                Size = item.Size,
                Mode = "0o" + Convert.ToString(item.Mode & 0xFFF, 8),
                Owner = item.Owner,
                Group = item.Group,
                Mtime = item.Mtime,
                Target = item.IsSymlink && item.SymlinkTo.Length > 0 ? item.SymlinkTo : null,
            };
        }).ToList();
        return new FileListResult(listing.Path, entries.Count, entries);
    }

    [McpServerTool(Name = "read_file", Title = "Read a file from an image", ReadOnly = true, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("Read a file of an image.")]
    public async Task<ReadFileResult> ReadFileAsync(
        [Description("The image: a UUID or 'tag:<name>'.")] string image,
        [Description("Path of the file; relative paths are taken from '/'.")] string path,
        [Description("Return at most this many bytes (> 0, default 1 MiB); truncated is set when the file is longer.")] int max_bytes = DefaultMaxBytes,
        CancellationToken cancellationToken = default)
    {
        if (max_bytes <= 0)
        {
            throw ContreeException.InvalidArgument($"max_bytes must be positive, got: {max_bytes}");
        }

        if (string.IsNullOrWhiteSpace(path))
        {
            throw ContreeException.InvalidArgument("path must not be empty");
        }

        var uuid = await backend.ResolveImageAsync(image, cancellationToken);
        var (bytes, total) = await ReadPrefixAsync(backend, uuid, "/" + path.TrimStart('/'), max_bytes, cancellationToken);
        var truncated = total > bytes.Length;
        var (content, encoding) = Decode(bytes, truncated);
        return new ReadFileResult { Path = path, Content = content, Encoding = encoding, BytesSize = total, Truncated = truncated ? true : null };
    }

    /// <summary>Reads the first <paramref name="maxBytes"/> bytes and counts the rest without keeping it.</summary>
    internal static async Task<(byte[] Bytes, long Total)> ReadPrefixAsync(
        IContreeBackend backend, string imageUuid, string path, int maxBytes, CancellationToken cancellationToken)
    {
        await using var stream = await backend.DownloadFileAsync(imageUuid, path, cancellationToken);
        using var kept = new MemoryStream();
        var buffer = new byte[81920];
        long total = 0;
        int read;
        while ((read = await stream.ReadAsync(buffer, cancellationToken)) > 0)
        {
            var keep = (int)Math.Clamp(maxBytes - total, 0, read);
            kept.Write(buffer, 0, keep);
            total += read;
        }

        return (kept.ToArray(), total);
    }

    /// <summary>Strict UTF-8 text, else base64. A cut inside a multi-byte character does not force base64.</summary>
    internal static (string Content, string Encoding) Decode(byte[] bytes, bool truncated)
    {
        for (var drop = 0; drop <= (truncated ? 3 : 0) && drop <= bytes.Length; drop++)
        {
            try
            {
                return (StrictUtf8.GetString(bytes, 0, bytes.Length - drop), "utf-8");
            }
            catch (DecoderFallbackException)
            {
            }
        }

        return (Convert.ToBase64String(bytes), "base64");
    }

    internal static string NormalizeDirectory(string? path)
    {
        var trimmed = (path ?? "").Trim();
        if (trimmed is "" or "." or "/." or "./")
        {
            return "/";
        }

        return "/" + trimmed.TrimStart('/');
    }

    private static string TypeOf(FileItem item) =>
        item.IsSymlink ? "symlink" : item.IsDir ? "directory" : item.IsSocket ? "socket" : item.IsFifo ? "fifo" : "file";
}
