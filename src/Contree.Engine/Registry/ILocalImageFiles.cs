namespace Contree.Engine.Registry;

/// <summary>Read access to the files of a local image source: an OCI layout directory or an archive (tar) file.</summary>
internal interface ILocalImageFiles : IDisposable
{
    /// <summary>Opens the file at a relative path (e.g. <c>index.json</c>, <c>blobs/sha256/…</c>), or returns null when absent.</summary>
    Stream? Open(string relativePath);
}
