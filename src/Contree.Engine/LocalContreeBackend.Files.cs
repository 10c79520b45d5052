using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Engine.Storage;

namespace Contree.Engine;

internal sealed partial class LocalContreeBackend
{
    public async Task<FileResponse> UploadFileAsync(Stream content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(content);
        var digest = await _blobs.IngestAsync(content, cancellationToken: cancellationToken);
        var path = _blobs.TryGetPath(digest);
        if (path is null || !BlobStore.TryParseDigest(digest, out var hex))
        {
            throw ContreeException.Internal($"uploaded content {digest} is missing from the blob store");
        }

        var size = new FileInfo(path).Length;
        var record = _files.GetOrCreate(hex, size);
        return new FileResponse { Uuid = record.Uuid, Sha256 = record.Sha256 };
    }

    public Task<FileResponse?> GetFileByHashAsync(string sha256, CancellationToken cancellationToken = default)
    {
        var record = _files.GetBySha256(ParseSha256(sha256));
        return Task.FromResult(record is null ? null : new FileResponse { Uuid = record.Uuid, Sha256 = record.Sha256 });
    }

    public Task<bool> FileExistsByHashAsync(string sha256, CancellationToken cancellationToken = default) =>
        Task.FromResult(_files.GetBySha256(ParseSha256(sha256)) is not null);

    public Task<bool> FileExistsByUuidAsync(string fileUuid, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fileUuid);
        return Task.FromResult(_files.GetByUuid(fileUuid) is not null);
    }

    private static string ParseSha256(string? sha256)
    {
        var text = sha256?.Trim() ?? "";
        if (text.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase))
        {
            text = text[7..];
        }

        return BlobStore.TryParseHex(text, out var hex)
            ? hex
            : throw ContreeException.InvalidArgument($"sha256 must be 64 hexadecimal digits, got: '{sha256}'");
    }
}
