using Contree.Core.Models;

namespace Contree.Core;

/// <summary>
/// The Contree API (endpoints E1–E18, listed in docs/http.md) as one contract, served remotely by <c>Contree.Client</c> or
/// locally by <c>Contree.Engine</c>. The MCP layer only ever talks to this interface.
/// </summary>
/// <remarks>
/// <para>Vocabulary. An <b>image</b> is an immutable filesystem snapshot named by a UUID and optionally one
/// <b>tag</b>. A <b>file</b> is uploaded content, addressed by UUID and sha256, that instances can mount at
/// chosen paths. An <b>operation</b> is an asynchronous job with an id: an <c>instance</c> (run one command
/// in a fresh sandbox started from an image) or an <c>image_import</c> (pull an OCI image).</para>
/// <para>Lifecycle of an instance: <see cref="SpawnInstanceAsync"/> returns an operation id at once; the
/// operation goes PENDING → (ASSIGNED →) EXECUTING → SUCCESS | FAILED | CANCELLED. SUCCESS means the sandbox ran; the
/// command's own exit code is in <see cref="InstanceMetadata.Result"/>. When
/// <see cref="InstanceMetadata.Disposable"/> is false and the command changed the filesystem,
/// <see cref="OperationResponse.Result"/> names the new image; otherwise the result image is the input
/// image (local engine) or null (disposable runs).</para>
/// <para>Errors. Every failure is a <see cref="Errors.ContreeException"/> carrying one
/// <see cref="Errors.ContreeErrorKind"/>; messages are safe to show to an agent.</para>
/// <para>Example: <c>var id = await backend.SpawnInstanceAsync(new() { Command = "echo hi", Image = uuid, Shell = true });</c>
/// then poll <see cref="GetOperationAsync"/> until <see cref="OperationEnums.IsTerminal"/>.</para>
/// </remarks>
public interface IContreeBackend
{
    /// <summary>E1 GET /images.</summary>
    Task<ImageListResponse> ListImagesAsync(ImageListQuery query, CancellationToken cancellationToken = default);

    /// <summary>E2 POST /images/import; returns the operation id.</summary>
    Task<string> ImportImageAsync(ImportImageMetadata request, CancellationToken cancellationToken = default);

    /// <summary>E3 PATCH /images/{uuid}/tag. A tag names at most one image; setting it moves it.</summary>
    Task<Image> TagImageAsync(string imageUuid, string tag, CancellationToken cancellationToken = default);

    /// <summary>E4 DELETE /images/{uuid}/tag.</summary>
    Task UntagImageAsync(string imageUuid, CancellationToken cancellationToken = default);

    /// <summary>E5 GET /inspect/?tag=&lt;tag&gt;.</summary>
    Task<Image> GetImageByTagAsync(string tag, CancellationToken cancellationToken = default);

    /// <summary>E6 GET /inspect/{uuid}/.</summary>
    Task<Image> GetImageAsync(string imageUuid, CancellationToken cancellationToken = default);

    /// <summary>E7 GET /inspect/{uuid}/list?path=…: entries of one directory.</summary>
    Task<DirectoryList> ListDirectoryAsync(string imageUuid, string path, CancellationToken cancellationToken = default);

    /// <summary>E8 GET /inspect/{uuid}/list?path=…&amp;text=: the <c>ls -l</c>-like text form.</summary>
    Task<string> ListDirectoryTextAsync(string imageUuid, string path, CancellationToken cancellationToken = default);

    /// <summary>
    /// E9 GET /inspect/{uuid}/download?path=…: the file's bytes. Errors (missing image or file, a directory)
    /// are raised before the stream is returned; the caller disposes the stream.
    /// </summary>
    Task<Stream> DownloadFileAsync(string imageUuid, string path, CancellationToken cancellationToken = default);

    /// <summary>E10 HEAD /inspect/{uuid}/download?path=…: whether a regular file exists there.</summary>
    Task<bool> FileExistsInImageAsync(string imageUuid, string path, CancellationToken cancellationToken = default);

    /// <summary>E11 POST /files: uploads content read from <paramref name="content"/> (streamed, not buffered).</summary>
    Task<FileResponse> UploadFileAsync(Stream content, CancellationToken cancellationToken = default);

    /// <summary>E12 GET /files?sha256=…; null when no file has that content.</summary>
    Task<FileResponse?> GetFileByHashAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>E13 HEAD /files?sha256=….</summary>
    Task<bool> FileExistsByHashAsync(string sha256, CancellationToken cancellationToken = default);

    /// <summary>E14 HEAD /files?uuid=….</summary>
    Task<bool> FileExistsByUuidAsync(string fileUuid, CancellationToken cancellationToken = default);

    /// <summary>E15 POST /instances; returns the operation id.</summary>
    Task<string> SpawnInstanceAsync(InstanceMetadata request, CancellationToken cancellationToken = default);

    /// <summary>E16 GET /operations, newest first.</summary>
    Task<OperationListResponse> ListOperationsAsync(OperationListQuery query, CancellationToken cancellationToken = default);

    /// <summary>E17 GET /operations/{id}.</summary>
    Task<OperationResponse> GetOperationAsync(string operationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// E18 DELETE /operations/{id}: cancels a pending or running operation (no-op when terminal), then waits until it
    /// is terminal, at most <see cref="OperationPolling.CancelWait"/>. It returns either way: read the state afterwards
    /// with <see cref="GetOperationAsync"/> (CANCELLED, another terminal status if it ended first, or still running
    /// when the bound passed). On the local engine a CANCELLED run's sandbox processes are gone.
    /// </summary>
    Task CancelOperationAsync(string operationId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Bytes of what a finished instance kept of one output stream (everything up to its truncate_output_at, also the
    /// part its result's inline view leaves out, see <see cref="StreamPayload.OmittedBytes"/>): up to
    /// <paramref name="length"/> bytes (at most <see cref="OutputRange.MaxLength"/>) from <paramref name="offset"/>,
    /// fewer at the end, none at or past it. NotFound for an unknown operation or one that has no output (any more);
    /// InvalidArgument for an import or a bad range; Conflict while the operation still runs. The local engine reads
    /// the output it saved (<c>GET /v1/operations/{id}/stdout</c> serves it); the cloud client slices the operation's
    /// result, which the Contree API returns whole.
    /// </summary>
    Task<OutputRange> ReadOperationOutputAsync(string operationId, OutputStream stream, long offset, int length, CancellationToken cancellationToken = default);
}
