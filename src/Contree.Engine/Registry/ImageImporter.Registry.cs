using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Engine.Registry;

internal sealed partial class ImageImporter
{
    /// <summary>
    /// distribution-spec "Pulling manifests": fetch the manifest (or index, then the host platform's manifest),
    /// verify every digest, then the config and layers.
    /// </summary>
    private async Task<ImportedImage> ImportFromRegistryAsync(ImageSource source, ImageCredentials credentials, PlatformSelector selector, CancellationToken cancellationToken)
    {
        var reference = source.Reference!;
        var client = new RegistryClient(_httpClientFactory.CreateClient(HttpClientName), reference, credentials, _options);

        var top = await client.GetManifestAsync(reference.ManifestReference, cancellationToken);
        var digest = VerifyManifestDigest(top, reference.Digest, source.Canonical);
        var (document, isIndex) = ImageDocuments.ParseManifest(top.Body, top.ContentType, $"manifest of {source}");
        var body = top.Body;
        if (isIndex)
        {
            var chosen = SelectPlatform(document, selector, source.Canonical);
            var child = await client.GetManifestAsync(chosen.Digest, cancellationToken);
            digest = VerifyManifestDigest(child, chosen.Digest, source.Canonical);
            (document, isIndex) = ImageDocuments.ParseManifest(child.Body, child.ContentType, $"manifest {chosen.Digest} of {source}");
            if (isIndex)
            {
                throw ContreeException.InvalidArgument($"{source}: the {selector} entry {chosen.Digest} is another index; nested indexes are not supported");
            }

            body = child.Body;
        }

        return await ImportManifestAsync(source.Canonical, document, digest, body, async (descriptor, token) =>
        {
            var response = await client.GetBlobAsync(descriptor.Digest, token);
            if (response.Content.Headers.ContentLength is { } length && descriptor.Size > 0 && length != descriptor.Size)
            {
                response.Dispose();
                throw ContreeException.InvalidArgument(
                    $"registry {reference.Registry} sent {length} bytes for blob {descriptor.Digest}, whose descriptor says {descriptor.Size}");
            }

            return await response.Content.ReadAsStreamAsync(token);
        }, cancellationToken);
    }

    /// <summary>
    /// The digest of a manifest is the sha256 of its exact bytes; it must equal the pinned digest (when the
    /// reference or index names one) and the registry's Docker-Content-Digest header (when sent).
    /// </summary>
    private static string VerifyManifestDigest(RegistryManifest manifest, string? expected, string source)
    {
        var actual = OciDigest.Of(manifest.Body);
        if (expected is not null && !string.Equals(expected, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw ContreeException.InvalidArgument($"manifest digest mismatch for {source}: expected {expected}, got {actual}");
        }

        if (manifest.HeaderDigest is { } header && header.StartsWith("sha256:", StringComparison.Ordinal)
            && !string.Equals(header, actual, StringComparison.OrdinalIgnoreCase))
        {
            throw ContreeException.InvalidArgument($"manifest digest mismatch for {source}: registry says {header}, content is {actual}");
        }

        return actual;
    }

    private OciDescriptor SelectPlatform(OciManifestDocument index, PlatformSelector selector, string source)
    {
        var manifests = index.Manifests ?? [];
        var chosen = selector.Select(manifests);
        if (chosen is null)
        {
            var available = string.Join(", ", manifests.Where(m => m.Platform is not null).Select(m => m.Platform!.ToString()).Distinct());
            throw ContreeException.NotFound($"image {source} has no {selector} variant (available: {(available.Length == 0 ? "none" : available)})");
        }

        if (!OciDigest.IsSha256(chosen.Digest))
        {
            throw ContreeException.InvalidArgument($"{source}: index entry digest '{chosen.Digest}' is not sha256:<64 hex digits>");
        }

        LogPlatformSelected(selector, chosen.Digest, source);
        return chosen;
    }
}
