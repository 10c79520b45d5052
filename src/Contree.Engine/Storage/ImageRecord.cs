namespace Contree.Engine.Storage;

/// <summary>One row of the <c>images</c> table.</summary>
/// <param name="Layers">Layer ids, topmost first (the order of overlayfs lowerdir).</param>
/// <param name="CreatedAt">ISO-8601 UTC (<see cref="Timestamps"/>).</param>
/// <param name="Command">The command whose run produced the image, for run results.</param>
/// <param name="OperationId">The operation that produced the image.</param>
/// <param name="Origin">Import source, e.g. <c>docker://docker.io/library/alpine:3.20</c>, for imported images.</param>
/// <param name="Env">Default environment (<c>KEY=VALUE</c>) from the image config, inherited by child images.</param>
/// <param name="WorkingDir">Default working directory from the image config, or empty.</param>
internal sealed record ImageRecord(
    string Uuid,
    string? ParentUuid,
    IReadOnlyList<string> Layers,
    string? Tag,
    string CreatedAt,
    string? Command,
    string? OperationId,
    string? Origin,
    string? ManifestDigest,
    IReadOnlyList<string> Env,
    string WorkingDir);
