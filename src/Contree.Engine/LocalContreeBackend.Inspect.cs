using System.Text;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Engine;

internal sealed partial class LocalContreeBackend
{
    /// <summary>NAME_MAX of Linux file systems: the longest name of one path component, in bytes.</summary>
    private const int MaxNameBytes = 255;

    public Task<DirectoryList> ListDirectoryAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        ValidateImagePath(path);
        return Task.FromResult(Inspect(imageUuid, path, i => i.ListDirectory(path)));
    }

    public Task<string> ListDirectoryTextAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        ValidateImagePath(path);
        var now = _time.GetUtcNow();
        return Task.FromResult(Inspect(imageUuid, path, i => i.ListDirectoryText(path, now)));
    }

    public Task<Stream> DownloadFileAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        ValidateImagePath(path);
        return Task.FromResult<Stream>(Inspect(imageUuid, path, i => i.OpenFile(path)));
    }

    public Task<bool> FileExistsInImageAsync(string imageUuid, string path, CancellationToken cancellationToken = default)
    {
        ValidateImagePath(path);
        return Task.FromResult(Inspect(imageUuid, path, i => i.FileExists(path)));
    }

    private static void ValidateImagePath(string? path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw ContreeException.InvalidArgument("path must not contain NUL characters");
        }

        // No file has a longer name (NAME_MAX), and lstat of one fails with ENAMETOOLONG rather than "not found".
        if (path.Split('/').Any(static name => Encoding.UTF8.GetByteCount(name) > MaxNameBytes))
        {
            throw ContreeException.InvalidArgument($"path must not contain a name longer than {MaxNameBytes} bytes");
        }
    }

    /// <summary>Runs an inspection; host I/O errors become Internal errors naming the image and path.</summary>
    private T Inspect<T>(string imageUuid, string path, Func<Inspect.ImageInspector, T> inspect)
    {
        var inspector = Inspector(imageUuid);
        try
        {
            return inspect(inspector);
        }
        catch (IOException e)
        {
            throw ContreeException.Internal($"reading {path} in image {imageUuid} failed: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw ContreeException.Internal($"reading {path} in image {imageUuid} failed: {e.Message}", e);
        }
    }
}
