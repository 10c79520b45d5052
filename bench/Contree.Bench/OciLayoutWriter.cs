using System.Formats.Tar;
using System.IO.Compression;
using System.Text;
using System.Text.Json.Nodes;

namespace Contree.Bench;

/// <summary>
/// Writes one image as an OCI image layout (image-spec image-layout.md): <c>oci-layout</c>, <c>index.json</c> with
/// the tag in <c>org.opencontainers.image.ref.name</c>, and <c>blobs/sha256/&lt;hex&gt;</c>. Layers are streamed to
/// disk while both the blob digest and the diff id (digest of the uncompressed tar, config.md rootfs.diff_ids) are
/// computed, so images of hundreds of MB never sit in memory.
/// </summary>
internal sealed class OciLayoutWriter
{
    private const string LayerTar = "application/vnd.oci.image.layer.v1.tar";
    private const string LayerTarGzip = "application/vnd.oci.image.layer.v1.tar+gzip";
    private readonly List<(string Digest, long Size, string DiffId, string MediaType)> _layers = [];
    private readonly string _blobs;

    public OciLayoutWriter(string directory)
    {
        Directory = directory;
        _blobs = Path.Combine(directory, "blobs", "sha256");
        System.IO.Directory.CreateDirectory(_blobs);
        File.WriteAllText(Path.Combine(directory, "oci-layout"), """{"imageLayoutVersion":"1.0.0"}""");
    }

    public string Directory { get; }

    /// <summary>Bytes of layer content before compression (what the engine extracts).</summary>
    public long UncompressedBytes { get; private set; }

    /// <summary>Bytes of layer blobs as stored (what a pull transfers).</summary>
    public long BlobBytes { get; private set; }

    public int LayerCount => _layers.Count;

    /// <summary>Adds a layer whose tar entries <paramref name="write"/> produces; gzip-compressed when asked.</summary>
    public void AddLayer(bool gzip, Action<TarWriter> write)
    {
        var temporary = Path.Combine(_blobs, "tmp-" + Guid.NewGuid().ToString("N"));
        string digest;
        string diffId;
        long size;
        using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 20))
        {
            using var blobHash = new HashingStream(file, leaveOpen: true);
            using (var compressor = gzip ? new GZipStream(blobHash, CompressionLevel.Fastest, leaveOpen: true) : null)
            {
                using var tarHash = new HashingStream(compressor ?? (Stream)blobHash, leaveOpen: true);
                using (var tar = new TarWriter(tarHash, TarEntryFormat.Pax, leaveOpen: true))
                {
                    write(tar);
                }

                diffId = tarHash.Digest();
                UncompressedBytes += tarHash.BytesWritten;
            }

            digest = blobHash.Digest();
            size = blobHash.BytesWritten;
        }

        File.Move(temporary, Path.Combine(_blobs, digest["sha256:".Length..]), overwrite: true);
        BlobBytes += size;
        _layers.Add((digest, size, diffId, gzip ? LayerTarGzip : LayerTar));
    }

    /// <summary>Writes config, manifest and index.json naming the image <paramref name="tag"/>.</summary>
    public void Finish(string tag, IEnumerable<string> env)
    {
        var config = new JsonObject
        {
            ["architecture"] = GoArchitecture(),
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Env"] = new JsonArray([.. env.Select(static e => (JsonNode)e)]), ["WorkingDir"] = "/" },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = new JsonArray([.. _layers.Select(static l => (JsonNode)l.DiffId)]) },
        };
        var (configDigest, configSize) = WriteBlob(config);
        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.manifest.v1+json",
            ["config"] = Descriptor("application/vnd.oci.image.config.v1+json", configDigest, configSize),
            ["layers"] = new JsonArray([.. _layers.Select(static l => (JsonNode)Descriptor(l.MediaType, l.Digest, l.Size))]),
        };
        var (manifestDigest, manifestSize) = WriteBlob(manifest);
        var entry = Descriptor("application/vnd.oci.image.manifest.v1+json", manifestDigest, manifestSize);
        entry["annotations"] = new JsonObject { ["org.opencontainers.image.ref.name"] = tag };
        var index = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = "application/vnd.oci.image.index.v1+json",
            ["manifests"] = new JsonArray(entry),
        };
        File.WriteAllText(Path.Combine(Directory, "index.json"), index.ToJsonString());
    }

    /// <summary>Adds every entry below <paramref name="root"/> (parents first, names relative to it) to the tar.</summary>
    public static void WriteTree(TarWriter tar, string root)
    {
        foreach (var path in System.IO.Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            tar.WriteEntry(path, Path.GetRelativePath(root, path));
        }
    }

    /// <summary>Adds a regular file of the given content.</summary>
    public static void WriteFile(TarWriter tar, string name, ReadOnlySpan<byte> content, UnixFileMode mode = (UnixFileMode)0b110_100_100)
    {
        var entry = new PaxTarEntry(TarEntryType.RegularFile, name)
        {
            Mode = mode,
            ModificationTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
            DataStream = new MemoryStream(content.ToArray(), writable: false),
        };
        tar.WriteEntry(entry);
    }

    /// <summary>Adds a directory entry (mode 0755).</summary>
    public static void WriteDirectory(TarWriter tar, string name)
    {
        tar.WriteEntry(new PaxTarEntry(TarEntryType.Directory, name)
        {
            Mode = (UnixFileMode)0b111_101_101,
            ModificationTime = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        });
    }

    private (string Digest, long Size) WriteBlob(JsonNode document)
    {
        var bytes = Encoding.UTF8.GetBytes(document.ToJsonString());
        var hex = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes));
        File.WriteAllBytes(Path.Combine(_blobs, hex), bytes);
        return ("sha256:" + hex, bytes.Length);
    }

    private static JsonObject Descriptor(string mediaType, string digest, long size) =>
        new() { ["mediaType"] = mediaType, ["digest"] = digest, ["size"] = size };

    private static string GoArchitecture() => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        _ => "amd64",
    };
}
