namespace Contree.Engine.Registry;

/// <summary>What an import produced.</summary>
/// <param name="LayerIds">Layer ids from <see cref="Storage.ILayerStore"/>, bottom-most first, de-duplicated.</param>
/// <param name="Source">Canonical source text, e.g. <c>docker://docker.io/library/alpine:3.20</c>.</param>
/// <param name="ManifestDigest">Digest of the manifest that was imported.</param>
/// <param name="Env">Environment from the image config (<c>KEY=VALUE</c> entries), used as the default run environment.</param>
/// <param name="WorkingDir">Working directory from the image config, or empty.</param>
internal sealed record ImportedImage(
    IReadOnlyList<string> LayerIds,
    string Source,
    string ManifestDigest,
    IReadOnlyList<string> Env,
    string WorkingDir);
