namespace Contree.Engine.Storage;

/// <summary>
/// Committed layers: directories in overlayfs upper format under <c>&lt;data&gt;/layers/&lt;id&gt;/fs</c>, never
/// modified after commit. Whiteouts are character devices 0/0; opaque directories carry the xattr
/// <c>user.overlay.opaque=y</c> (the engine mounts every overlay with <c>userxattr</c>).
/// </summary>
internal interface ILayerStore
{
    /// <summary>Id of a layer already built from the blob with this digest, or null.</summary>
    string? FindBySource(string sourceDigest);

    /// <summary>
    /// Creates a layer from a source blob: makes an empty staging directory on the layer filesystem, lets
    /// <paramref name="populate"/> fill it, then commits it by rename and records it. If a layer for
    /// <paramref name="sourceDigest"/> appeared meanwhile, that one is returned and the staging copy deleted.
    /// On any failure the staging directory is deleted. Returns the layer id.
    /// </summary>
    Task<string> CreateAsync(string sourceDigest, Func<string, CancellationToken, Task> populate, CancellationToken cancellationToken = default);

    /// <summary>
    /// Commits an existing directory (a run's upper) as a new layer by rename, O(1); from another file system (a run's
    /// size-limited disk) by copy, O(changes). Returns the id.
    /// </summary>
    string CommitDirectory(string directory);

    /// <summary>Absolute path of the layer's <c>fs</c> directory.</summary>
    string GetDirectory(string layerId);
}
