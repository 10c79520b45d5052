namespace Contree.Engine.Registry;

/// <summary>Where an import reads from.</summary>
internal enum ImageSourceKind
{
    /// <summary><c>docker://</c>, <c>oci://</c> or a bare reference: the OCI distribution API.</summary>
    Registry,

    /// <summary><c>oci:&lt;dir&gt;[:&lt;tag&gt;]</c>: an OCI image layout directory.</summary>
    OciLayout,

    /// <summary><c>oci-archive:&lt;file&gt;[:&lt;tag&gt;]</c>: a tar of an OCI image layout.</summary>
    OciArchive,

    /// <summary><c>docker-archive:&lt;file&gt;[:&lt;name:tag&gt;]</c>: <c>docker save</c> output.</summary>
    DockerArchive,
}
