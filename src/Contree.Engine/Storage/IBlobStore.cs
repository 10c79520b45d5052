namespace Contree.Engine.Storage;

/// <summary>
/// Content-addressed blobs under <c>&lt;data&gt;/blobs/sha256/&lt;hex&gt;</c>: OCI layers, configs and manifests,
/// and files uploaded by agents. A blob is visible only after it was fully written, its digest verified and
/// it was renamed into place; a failed write leaves nothing behind.
/// </summary>
internal interface IBlobStore
{
    /// <summary>Path of the blob with this digest (<c>sha256:&lt;hex&gt;</c>), or null when absent.</summary>
    string? TryGetPath(string digest);

    /// <summary>
    /// Streams <paramref name="content"/> to a temporary file while hashing it, checks the digest against
    /// <paramref name="expectedDigest"/> (when given) and the size against <paramref name="maxBytes"/> (when given),
    /// then renames it into place. Returns the digest (<c>sha256:&lt;hex&gt;</c>). A mismatch is an InvalidArgument
    /// ContreeException and stores nothing.
    /// </summary>
    Task<string> IngestAsync(Stream content, string? expectedDigest = null, long? maxBytes = null, CancellationToken cancellationToken = default);
}
