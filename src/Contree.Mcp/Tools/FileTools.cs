using System.ComponentModel;
using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.References;
using Contree.Mcp.Files;
using Contree.Mcp.Sync;
using ModelContextProtocol.Server;

namespace Contree.Mcp.Tools;

/// <summary>File transfer between the machine running the server and sandboxes: <c>rsync</c>, <c>upload</c>, <c>download</c>.</summary>
[McpServerToolType]
internal sealed class FileTools(IContreeBackend backend, DirectorySynchronizer synchronizer, FileUploader uploader)
{
    [McpServerTool(Name = "rsync", Title = "Sync a local directory for runs", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Syncs a local directory so that run can place it inside the sandbox. Free (file transfer only, no sandbox).

        USAGE: rsync(source="/path/to/project", destination="/app", exclude=["__pycache__", "*.pyc", ".git", "node_modules", ".venv"])
        then run(..., directory_state_id=<id>, cwd="/app").
        - source: an existing directory on the machine running this MCP server (absolute; ~ is expanded). Not a glob, not a single file (use upload).
        - destination: absolute directory inside the sandbox.
        - exclude: gitignore-style patterns. A name without '/' matches at any depth ("__pycache__", "*.pyc"; ".git" does not match ".github");
          a pattern with '/' is anchored at source ("build/out", "/dist"); "**" spans directories; a trailing '/' matches directories only.
        Smart caching: unchanged files are not read again, content the backend already has is not uploaded again, and
        the same source + destination + exclude set always returns the same directory_state_id.

        RETURNS: {directory_state_id (integer), destination, files, uploaded, reused, unchanged, removed}.
        GUIDES: contree://guide/quickstart [ESSENTIAL]
        """)]
    public async Task<SyncResult> Rsync(
        [Description("Absolute path of a local directory on the machine running the server (~ is expanded).")] string source,
        [Description("Absolute directory inside the sandbox where the files appear, e.g. /app.")] string destination,
        [Description("Gitignore-style exclude patterns, e.g. [\"__pycache__\", \"*.pyc\", \".git\", \"node_modules\"].")] List<string>? exclude = null,
        CancellationToken cancellationToken = default)
    {
        var root = LocalPaths.RequireAbsolute(source, "source");
        return await synchronizer.SyncAsync(root, destination, exclude, cancellationToken);
    }

    [McpServerTool(Name = "upload", Title = "Upload a file", ReadOnly = false, Destructive = false, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Uploads one file and returns its UUID for run's files parameter. Free (no sandbox).

        Give exactly one source; if several are given, path wins over content_base64, which wins over content.
        - path: a file on the machine running this MCP server (absolute; ~ is expanded) — not a name inside the sandbox.
        - content: text, uploaded as UTF-8.
        - content_base64: binary content, base64-encoded.
        Files are content-addressed (identical content is stored once) and have no name: choose the sandbox path in run,
        e.g. files={"/app/config.json": "<uuid>"} (one UUID may be placed at several paths). For many files prefer rsync.

        RETURNS: {uuid, sha256, size}.
        GUIDES: contree://guide/quickstart
        """)]
    public async Task<UploadResult> Upload(
        [Description("Absolute path of a local file on the machine running the server (~ is expanded).")] string? path = null,
        [Description("Text content to upload as UTF-8.")] string? content = null,
        [Description("Binary content to upload, base64-encoded.")] string? content_base64 = null,
        CancellationToken cancellationToken = default)
    {
        if (!string.IsNullOrEmpty(path))
        {
            var local = LocalPaths.RequireAbsolute(path, "path");
            if (Directory.Exists(local))
            {
                throw ContreeException.InvalidArgument($"path is a directory, not a file: {path} (use rsync for directories)");
            }

            if (!File.Exists(local))
            {
                throw ContreeException.NotFound($"File not found: {path}");
            }

            return await uploader.UploadFileAsync(local, cancellationToken);
        }

        if (!string.IsNullOrEmpty(content_base64))
        {
            byte[] bytes;
            try
            {
                bytes = Convert.FromBase64String(content_base64.Trim());
            }
            catch (FormatException)
            {
                throw ContreeException.InvalidArgument("content_base64 is not valid base64");
            }

            return await uploader.UploadBytesAsync(bytes, cancellationToken);
        }

        if (!string.IsNullOrEmpty(content))
        {
            return await uploader.UploadBytesAsync(System.Text.Encoding.UTF8.GetBytes(content), cancellationToken);
        }

        throw ContreeException.InvalidArgument("One of 'path', 'content', or 'content_base64' is required");
    }

    [McpServerTool(Name = "download", Title = "Download a file from an image", ReadOnly = false, Destructive = true, Idempotent = true, OpenWorld = false, UseStructuredContent = true)]
    [Description("""
        Copies a file out of an image to the machine running this MCP server. Free (no sandbox).

        USAGE: download(image="<uuid>" or "tag:<tag>", path="/app/dist/tool", destination="/home/me/bin/tool", executable=true)
        - destination is on the server's machine, not in the sandbox; absolute (~ is expanded); parent directories are created;
          an existing file there is replaced atomically, and is left untouched if the download fails.
        - executable=true adds execute permission wherever read permission is set (for binaries and scripts).
        Use it for build artefacts, binaries, reports and logs; to just look at a file, read_file is simpler.

        RETURNS: {success, source {image, path}, destination, size, executable}.
        GUIDES: contree://guide/reference
        """)]
    public async Task<DownloadResult> Download(
        [Description("Image UUID or tag:<tag>.")] string image,
        [Description("Path of the file inside the image, e.g. /etc/os-release.")] string path,
        [Description("Absolute path on the machine running the server where the file is written (~ is expanded).")] string destination,
        [Description("Add execute permission where read permission is set.")] bool executable = false,
        CancellationToken cancellationToken = default)
    {
        var imageUuid = await backend.ResolveImageAsync(image, cancellationToken);
        var inImage = ContainerPaths.NormalizeInImage(path, "path");
        var target = LocalPaths.RequireAbsolute(destination, "destination");
        if (Directory.Exists(target))
        {
            throw ContreeException.InvalidArgument($"destination is a directory: {destination}; give the full path of the file to write");
        }

        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw ContreeException.InvalidArgument($"cannot create the parent directory of '{target}': {ErrorCause.Describe(ex)}", ex);
        }

        long size;
        await using (var stream = await backend.DownloadFileAsync(imageUuid, inImage, cancellationToken))
        {
            try
            {
                size = await AtomicFileWriter.WriteAsync(target, stream, executable ? AddExecute : null, cancellationToken);
            }
            catch (UnauthorizedAccessException ex)
            {
                throw ContreeException.InvalidArgument($"cannot write '{target}': {ErrorCause.Describe(ex)}", ex);
            }
            catch (IOException ex)
            {
                throw ContreeException.Internal($"download of '{inImage}' to '{target}' failed: {ex.Message}", ex);
            }
        }

        return new DownloadResult(true, new DownloadSource(imageUuid, inImage), target, size, executable);
    }

    /// <summary>Adds x where r is set, per class (like <c>chmod +X</c> for a file).</summary>
    internal static UnixFileMode AddExecute(UnixFileMode mode)
    {
        if (mode.HasFlag(UnixFileMode.UserRead))
        {
            mode |= UnixFileMode.UserExecute;
        }

        if (mode.HasFlag(UnixFileMode.GroupRead))
        {
            mode |= UnixFileMode.GroupExecute;
        }

        if (mode.HasFlag(UnixFileMode.OtherRead))
        {
            mode |= UnixFileMode.OtherExecute;
        }

        return mode;
    }
}
