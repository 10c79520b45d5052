using System.Security.Cryptography;
using Contree.Core;
using Contree.Core.Errors;

namespace Contree.Mcp.Files;

/// <summary>
/// Uploads single files with server-side dedup: the content hash is computed first
/// (streamed) and looked up (E12); only unknown content is uploaded (E11), streamed from its source.
/// </summary>
internal sealed class FileUploader(IContreeBackend backend)
{
    /// <summary>Uploads a local file without loading it into memory.</summary>
    public async Task<UploadResult> UploadFileAsync(string path, CancellationToken cancellationToken = default)
    {
        long size;
        string sha256;
        try
        {
            await using (var stream = OpenRead(path))
            {
                size = stream.Length;
                sha256 = Convert.ToHexStringLower(await SHA256.HashDataAsync(stream, cancellationToken));
            }

            var known = await backend.GetFileByHashAsync(sha256, cancellationToken);
            if (known is not null)
            {
                return new UploadResult(known.Uuid, known.Sha256, size);
            }

            await using var content = OpenRead(path);
            size = content.Length;
            var response = await backend.UploadFileAsync(content, cancellationToken);
            return new UploadResult(response.Uuid, response.Sha256, size);
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            throw ContreeException.NotFound($"File not found: {path}");
        }
        catch (UnauthorizedAccessException ex)
        {
            throw ContreeException.InvalidArgument($"cannot read '{path}': {ErrorCause.Describe(ex)}", ex);
        }
    }

    /// <summary>Uploads bytes that are already in memory (tool arguments).</summary>
    public async Task<UploadResult> UploadBytesAsync(byte[] content, CancellationToken cancellationToken = default)
    {
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var known = await backend.GetFileByHashAsync(sha256, cancellationToken);
        if (known is not null)
        {
            return new UploadResult(known.Uuid, known.Sha256, content.Length);
        }

        using var stream = new MemoryStream(content, writable: false);
        var response = await backend.UploadFileAsync(stream, cancellationToken);
        return new UploadResult(response.Uuid, response.Sha256, content.Length);
    }

    private static FileStream OpenRead(string path) => new(path, new FileStreamOptions
    {
        Mode = FileMode.Open,
        Access = FileAccess.Read,
        Share = FileShare.ReadWrite | FileShare.Delete,
        Options = FileOptions.Asynchronous | FileOptions.SequentialScan,
        BufferSize = 0,
    });
}
