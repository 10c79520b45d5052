using Contree.Core;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>The polling-only view: every call forwards to the fake, but the view is not an <see cref="IOperationCompletion"/>.</summary>
public sealed partial class FakeContreeBackend
{
    private sealed class PollingOnlyView(FakeContreeBackend inner) : IContreeBackend
    {
        public Task<ImageListResponse> ListImagesAsync(ImageListQuery query, CancellationToken cancellationToken = default) => inner.ListImagesAsync(query, cancellationToken);

        public Task<string> ImportImageAsync(ImportImageMetadata request, CancellationToken cancellationToken = default) => inner.ImportImageAsync(request, cancellationToken);

        public Task<Image> TagImageAsync(string imageUuid, string tag, CancellationToken cancellationToken = default) => inner.TagImageAsync(imageUuid, tag, cancellationToken);

        public Task UntagImageAsync(string imageUuid, CancellationToken cancellationToken = default) => inner.UntagImageAsync(imageUuid, cancellationToken);

        public Task<Image> GetImageByTagAsync(string tag, CancellationToken cancellationToken = default) => inner.GetImageByTagAsync(tag, cancellationToken);

        public Task<Image> GetImageAsync(string imageUuid, CancellationToken cancellationToken = default) => inner.GetImageAsync(imageUuid, cancellationToken);

        public Task<DirectoryList> ListDirectoryAsync(string imageUuid, string path, CancellationToken cancellationToken = default) => inner.ListDirectoryAsync(imageUuid, path, cancellationToken);

        public Task<string> ListDirectoryTextAsync(string imageUuid, string path, CancellationToken cancellationToken = default) => inner.ListDirectoryTextAsync(imageUuid, path, cancellationToken);

        public Task<Stream> DownloadFileAsync(string imageUuid, string path, CancellationToken cancellationToken = default) => inner.DownloadFileAsync(imageUuid, path, cancellationToken);

        public Task<bool> FileExistsInImageAsync(string imageUuid, string path, CancellationToken cancellationToken = default) => inner.FileExistsInImageAsync(imageUuid, path, cancellationToken);

        public Task<FileResponse> UploadFileAsync(Stream content, CancellationToken cancellationToken = default) => inner.UploadFileAsync(content, cancellationToken);

        public Task<FileResponse?> GetFileByHashAsync(string sha256, CancellationToken cancellationToken = default) => inner.GetFileByHashAsync(sha256, cancellationToken);

        public Task<bool> FileExistsByHashAsync(string sha256, CancellationToken cancellationToken = default) => inner.FileExistsByHashAsync(sha256, cancellationToken);

        public Task<bool> FileExistsByUuidAsync(string fileUuid, CancellationToken cancellationToken = default) => inner.FileExistsByUuidAsync(fileUuid, cancellationToken);

        public Task<string> SpawnInstanceAsync(InstanceMetadata request, CancellationToken cancellationToken = default) => inner.SpawnInstanceAsync(request, cancellationToken);

        public Task<OperationListResponse> ListOperationsAsync(OperationListQuery query, CancellationToken cancellationToken = default) => inner.ListOperationsAsync(query, cancellationToken);

        public Task<OperationResponse> GetOperationAsync(string operationId, CancellationToken cancellationToken = default) => inner.GetOperationAsync(operationId, cancellationToken);

        public Task CancelOperationAsync(string operationId, CancellationToken cancellationToken = default) => inner.CancelOperationAsync(operationId, cancellationToken);

        public Task<OutputRange> ReadOperationOutputAsync(string operationId, OutputStream stream, long offset, int length, CancellationToken cancellationToken = default) =>
            inner.ReadOperationOutputAsync(operationId, stream, offset, length, cancellationToken);
    }
}
