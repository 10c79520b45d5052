using System.Text.Json;
using Contree.Core.Errors;
using Contree.Engine.Layers;

namespace Contree.Engine.Registry;

internal sealed partial class ImageImporter
{
    // image-spec annotations.md: the tag of a manifest in an OCI layout's index.json.
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>image-spec image-layout.md: <c>oci-layout</c>, <c>index.json</c>, <c>blobs/&lt;alg&gt;/&lt;hex&gt;</c>, as a directory or a tar.</summary>
    private async Task<ImportedImage> ImportOciLayoutAsync(ImageSource source, PlatformSelector selector, CancellationToken cancellationToken)
    {
        using ILocalImageFiles files = source.Kind == ImageSourceKind.OciLayout
            ? new DirectoryImageFiles(source.Path)
            : await TarImageFiles.OpenAsync(source.Path, cancellationToken);
        using (var marker = files.Open("oci-layout"))
        {
            if (marker is null)
            {
                throw ContreeException.InvalidArgument($"{source} is not an OCI image layout: it has no oci-layout file");
            }
        }

        var indexBody = await ReadLocalFileAsync(files, "index.json", source.Canonical, cancellationToken);
        var index = ImageDocuments.Deserialize(indexBody, $"index.json of {source}", static (b, o) => JsonSerializer.Deserialize(b, OciJsonContext.Default.OciManifestDocument));
        var entries = index.Manifests ?? [];
        OciDescriptor descriptor;
        if (source.Selector is { } tag)
        {
            descriptor = entries.FirstOrDefault(m => m.Annotations is { } a && a.TryGetValue(RefNameAnnotation, out var name) && name == tag)
                ?? throw ContreeException.NotFound($"tag '{tag}' not found in {source.Path} (tags: {Tags(entries)})");
        }
        else if (entries.Count == 1)
        {
            descriptor = entries[0];
        }
        else
        {
            throw ContreeException.InvalidArgument(
                $"{source} holds {entries.Count} images; name one as {source}:<tag> (tags: {Tags(entries)})");
        }

        Task<Stream> Open(OciDescriptor d, CancellationToken token) => Task.FromResult(OpenLayoutBlob(files, d.Digest, source.Canonical));

        var (document, isIndex) = await ReadLayoutManifestAsync(descriptor, Open, source.Canonical, cancellationToken);
        if (isIndex)
        {
            descriptor = SelectPlatform(document.Document, selector, source.Canonical);
            (document, isIndex) = await ReadLayoutManifestAsync(descriptor, Open, source.Canonical, cancellationToken);
            if (isIndex)
            {
                throw ContreeException.InvalidArgument($"{source}: the {selector} entry {descriptor.Digest} is another index; nested indexes are not supported");
            }
        }

        return await ImportManifestAsync(source.Canonical, document.Document, descriptor.Digest, document.Body, Open, cancellationToken);
    }

    private async Task<((OciManifestDocument Document, byte[] Body) Manifest, bool IsIndex)> ReadLayoutManifestAsync(
        OciDescriptor descriptor, Func<OciDescriptor, CancellationToken, Task<Stream>> open, string source, CancellationToken cancellationToken)
    {
        var body = await ReadDocumentAsync(descriptor, open, "manifest", cancellationToken);
        var (document, isIndex) = ImageDocuments.ParseManifest(body, descriptor.MediaType, $"manifest {descriptor.Digest} of {source}");
        return ((document, body), isIndex);
    }

    private static Stream OpenLayoutBlob(ILocalImageFiles files, string digest, string source)
    {
        if (!OciDigest.IsSha256(digest))
        {
            throw ContreeException.InvalidArgument($"{source}: digest '{digest}' is not sha256:<64 hex digits>");
        }

        return files.Open($"blobs/sha256/{OciDigest.Hex(digest)}")
            ?? throw ContreeException.NotFound($"{source}: blob {digest} is missing from the layout");
    }

    private static string Tags(IEnumerable<OciDescriptor> entries)
    {
        var tags = entries.Select(m => m.Annotations?.GetValueOrDefault(RefNameAnnotation)).OfType<string>().ToList();
        return tags.Count == 0 ? "none" : string.Join(", ", tags);
    }

    private async Task<byte[]> ReadLocalFileAsync(ILocalImageFiles files, string name, string source, CancellationToken cancellationToken)
    {
        await using var stream = files.Open(name) ?? throw ContreeException.InvalidArgument($"{source} has no {name}");
        return await ImageDocuments.ReadBoundedAsync(stream, _options.MaxDocumentBytes, $"{name} of {source}", cancellationToken);
    }

    /// <summary>
    /// <c>docker save</c> output (moby image/tarexport): <c>manifest.json</c> lists the config file and the layer
    /// tars bottom first. Layers have no digest there, so each is hashed while it is ingested; an uncompressed
    /// layer must match the config's rootfs.diff_ids.
    /// </summary>
    private async Task<ImportedImage> ImportDockerArchiveAsync(ImageSource source, CancellationToken cancellationToken)
    {
        using var files = await TarImageFiles.OpenAsync(source.Path, cancellationToken);
        var manifestBody = await ReadLocalFileAsync(files, "manifest.json", source.Canonical, cancellationToken);
        var images = ImageDocuments.Deserialize(manifestBody, $"manifest.json of {source}", static (b, o) => JsonSerializer.Deserialize(b, OciJsonContext.Default.DockerArchiveEntryArray));
        DockerArchiveEntry image;
        var allTags = string.Join(", ", images.SelectMany(i => i.RepoTags ?? []));
        if (source.Selector is { } wanted)
        {
            image = images.FirstOrDefault(i => i.RepoTags?.Contains(wanted, StringComparer.Ordinal) ?? false)
                ?? throw ContreeException.NotFound($"image '{wanted}' not found in {source.Path} (tags: {(allTags.Length == 0 ? "none" : allTags)})");
        }
        else if (images.Length == 1)
        {
            image = images[0];
        }
        else
        {
            throw ContreeException.InvalidArgument($"{source} holds {images.Length} images; name one as {source}:<name:tag> (tags: {allTags})");
        }

        var configBody = await ReadLocalFileAsync(files, image.Config, source.Canonical, cancellationToken);
        var configDigest = OciDigest.Of(configBody);
        var config = ImageDocuments.ParseConfig(configBody, source.Canonical);
        var diffIds = config.Rootfs?.DiffIds ?? [];

        var layerIds = new List<string>();
        for (var i = 0; i < image.Layers.Count; i++)
        {
            var name = image.Layers[i];
            LayerCompression compression;
            await using (var probe = files.Open(name) ?? throw ContreeException.InvalidArgument($"{source}: layer file '{name}' is missing"))
            {
                var magic = new byte[4];
                var read = await probe.ReadAtLeastAsync(magic, magic.Length, throwOnEndOfStream: false, cancellationToken);
                compression = LayerDecompressor.Sniff(magic.AsSpan(0, read));
            }

            // An uncompressed layer's digest is its diff_id, so it can be verified while it is ingested.
            var expected = compression == LayerCompression.None && i < diffIds.Count ? diffIds[i] : null;
            string digest;
            await using (var content = files.Open(name)!)
            {
                if (content.Length > _options.MaxLayerBytes)
                {
                    throw ContreeException.InvalidArgument($"{source}: layer '{name}' exceeds the limit of {_options.MaxLayerBytes} bytes");
                }

                digest = await _blobs.IngestAsync(content, expected, _options.MaxLayerBytes, cancellationToken);
            }

            AddTopmost(layerIds, await ExtractLayerAsync(digest, compression, cancellationToken));
        }

        await StoreDocumentAsync(configBody, configDigest, cancellationToken);
        return new ImportedImage(layerIds, source.Canonical, configDigest, config.Config?.Env ?? [], config.Config?.WorkingDir ?? "");
    }
}
