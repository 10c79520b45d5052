using Contree.Core.Models;

namespace Contree.Engine.Registry;

/// <summary>
/// Brings an image into the blob and layer stores from <c>docker://[registry/]name[:tag|@digest]</c> (the OCI
/// distribution API), <c>oci:&lt;dir&gt;[:&lt;tag&gt;]</c> (an OCI layout), <c>oci-archive:&lt;file&gt;</c> or
/// <c>docker-archive:&lt;file&gt;</c>. Every blob is verified by digest; layers already present are shared.
/// The caller records the image; a failed import leaves no partial layer.
/// </summary>
internal interface IImageImporter
{
    Task<ImportedImage> ImportAsync(ImportImageMetadata request, CancellationToken cancellationToken = default);
}
