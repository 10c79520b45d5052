using Contree.Core;
using Contree.Core.Models;

namespace Contree.Server.Tests.ApiServer;

/// <summary>A backend with a bug: every call throws a non-Contree exception (the 500 "internal error" path).</summary>
internal sealed class ThrowingBackend : IContreeBackend
{
    private static Task<T> Fail<T>() => Task.FromException<T>(new InvalidOperationException("secret internal detail"));

    public Task<ImageListResponse> ListImagesAsync(ImageListQuery query, CancellationToken cancellationToken = default) => Fail<ImageListResponse>();

    public Task<string> ImportImageAsync(ImportImageMetadata request, CancellationToken cancellationToken = default) => Fail<string>();

    public Task<Image> TagImageAsync(string imageUuid, string tag, CancellationToken cancellationToken = default) => Fail<Image>();

    public Task UntagImageAsync(string imageUuid, CancellationToken cancellationToken = default) => Fail<bool>();

    public Task<Image> GetImageByTagAsync(string tag, CancellationToken cancellationToken = default) => Fail<Image>();

    public Task<Image> GetImageAsync(string imageUuid, CancellationToken cancellationToken = default) => Fail<Image>();

    public Task<DirectoryList> ListDirectoryAsync(string imageUuid, string path, CancellationToken cancellationToken = default) => Fail<DirectoryList>();

    public Task<string> ListDirectoryTextAsync(string imageUuid, string path, CancellationToken cancellationToken = default) => Fail<string>();

    public Task<Stream> DownloadFileAsync(string imageUuid, string path, CancellationToken cancellationToken = default) => Fail<Stream>();

    public Task<bool> FileExistsInImageAsync(string imageUuid, string path, CancellationToken cancellationToken = default) => Fail<bool>();

    public Task<FileResponse> UploadFileAsync(Stream content, CancellationToken cancellationToken = default) => Fail<FileResponse>();

    public Task<FileResponse?> GetFileByHashAsync(string sha256, CancellationToken cancellationToken = default) => Fail<FileResponse?>();

    public Task<bool> FileExistsByHashAsync(string sha256, CancellationToken cancellationToken = default) => Fail<bool>();

    public Task<bool> FileExistsByUuidAsync(string fileUuid, CancellationToken cancellationToken = default) => Fail<bool>();

    public Task<string> SpawnInstanceAsync(InstanceMetadata request, CancellationToken cancellationToken = default) => Fail<string>();

    public Task<OperationListResponse> ListOperationsAsync(OperationListQuery query, CancellationToken cancellationToken = default) => Fail<OperationListResponse>();

    public Task<OperationResponse> GetOperationAsync(string operationId, CancellationToken cancellationToken = default) => Fail<OperationResponse>();

    public Task CancelOperationAsync(string operationId, CancellationToken cancellationToken = default) => Fail<bool>();

    public Task<OutputRange> ReadOperationOutputAsync(string operationId, OutputStream stream, long offset, int length, CancellationToken cancellationToken = default) =>
        Fail<OutputRange>();
}
