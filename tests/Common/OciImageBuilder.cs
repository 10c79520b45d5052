using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Contree.Tests.Common;

/// <summary>
/// Builds OCI and Docker v2s2 test images in memory with the BCL only: layer tars (from entries or a
/// directory), gzip layers, configs, manifests and multi-platform indexes. zstd layers are built by the engine
/// tests themselves (the compressor is not in the BCL) and wrapped with <see cref="Blob"/>.
/// </summary>
public static class OciImageBuilder
{
    public const string OciIndexType = "application/vnd.oci.image.index.v1+json";
    public const string OciManifestType = "application/vnd.oci.image.manifest.v1+json";
    public const string OciConfigType = "application/vnd.oci.image.config.v1+json";
    public const string OciLayerType = "application/vnd.oci.image.layer.v1.tar";
    public const string OciLayerGzipType = "application/vnd.oci.image.layer.v1.tar+gzip";
    public const string OciLayerZstdType = "application/vnd.oci.image.layer.v1.tar+zstd";
    public const string DockerListType = "application/vnd.docker.distribution.manifest.list.v2+json";
    public const string DockerManifestType = "application/vnd.docker.distribution.manifest.v2+json";
    public const string DockerConfigType = "application/vnd.docker.container.image.v1+json";
    public const string DockerLayerGzipType = "application/vnd.docker.image.rootfs.diff.tar.gzip";

    private static readonly DateTimeOffset FixedTime = new(2024, 1, 2, 3, 4, 5, TimeSpan.Zero);

    /// <summary>A tar written by <paramref name="write"/> (PAX format unless the entries say otherwise).</summary>
    public static byte[] Tar(Action<TarWriter> write)
    {
        using var buffer = new MemoryStream();
        using (var writer = new TarWriter(buffer, TarEntryFormat.Pax, leaveOpen: true))
        {
            write(writer);
        }

        return buffer.ToArray();
    }

    /// <summary>A tar of the given entries, in order.</summary>
    public static byte[] Tar(params TarEntry[] entries) => Tar(writer =>
    {
        foreach (var entry in entries)
        {
            writer.WriteEntry(entry);
        }
    });

    /// <summary>A tar of a directory tree (entry names relative to it), e.g. the busybox rootfs.</summary>
    public static byte[] TarDirectory(string directory)
    {
        using var buffer = new MemoryStream();
        TarFile.CreateFromDirectory(directory, buffer, includeBaseDirectory: false);
        return buffer.ToArray();
    }

    public static PaxTarEntry File(string name, string content, UnixFileMode mode = (UnixFileMode)0b110_100_100, int uid = 0, int gid = 0) =>
        File(name, Encoding.UTF8.GetBytes(content), mode, uid, gid);

    public static PaxTarEntry File(string name, byte[] content, UnixFileMode mode = (UnixFileMode)0b110_100_100, int uid = 0, int gid = 0) =>
        new(TarEntryType.RegularFile, name)
        {
            DataStream = new MemoryStream(content),
            Mode = mode,
            Uid = uid,
            Gid = gid,
            ModificationTime = FixedTime,
        };

    public static PaxTarEntry Directory(string name, UnixFileMode mode = (UnixFileMode)0b111_101_101) =>
        new(TarEntryType.Directory, name) { Mode = mode, ModificationTime = FixedTime };

    public static PaxTarEntry Symlink(string name, string target) =>
        new(TarEntryType.SymbolicLink, name) { LinkName = target, ModificationTime = FixedTime };

    public static PaxTarEntry HardLink(string name, string target) =>
        new(TarEntryType.HardLink, name) { LinkName = target, ModificationTime = FixedTime };

    /// <summary>An OCI whiteout (image-spec layer.md): an empty file <c>.wh.&lt;name&gt;</c> next to the hidden entry.</summary>
    public static PaxTarEntry Whiteout(string path)
    {
        var slash = path.LastIndexOf('/');
        var name = slash < 0 ? ".wh." + path : path[..(slash + 1)] + ".wh." + path[(slash + 1)..];
        return File(name, []);
    }

    /// <summary>An opaque-directory marker (<c>&lt;dir&gt;/.wh..wh..opq</c>).</summary>
    public static PaxTarEntry OpaqueMarker(string directory) => File(directory.TrimEnd('/') + "/.wh..wh..opq", []);

    public static byte[] Gzip(byte[] data)
    {
        using var buffer = new MemoryStream();
        using (var gzip = new GZipStream(buffer, CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(data);
        }

        return buffer.ToArray();
    }

    public static OciBlob Blob(string mediaType, byte[] data) => new(mediaType, data);

    /// <summary>A gzip layer of the given tar (OCI or Docker media type).</summary>
    public static OciBlob GzipLayer(byte[] tar, bool docker = false) => new(docker ? DockerLayerGzipType : OciLayerGzipType, Gzip(tar));

    /// <summary>An image config (image-spec config.md) with env, working dir and the diff_ids of the layers.</summary>
    public static OciBlob Config(IEnumerable<byte[]> uncompressedLayers, IEnumerable<string>? env = null, string workingDir = "", string architecture = "amd64", bool docker = false)
    {
        var diffIds = new JsonArray();
        foreach (var tar in uncompressedLayers)
        {
            diffIds.Add("sha256:" + Convert.ToHexStringLower(SHA256.HashData(tar)));
        }

        var envArray = new JsonArray();
        foreach (var item in env ?? ["PATH=/usr/sbin:/usr/bin:/sbin:/bin"])
        {
            envArray.Add(item);
        }

        var config = new JsonObject
        {
            ["architecture"] = architecture,
            ["os"] = "linux",
            ["config"] = new JsonObject { ["Env"] = envArray, ["WorkingDir"] = workingDir, ["Cmd"] = new JsonArray("/bin/sh") },
            ["rootfs"] = new JsonObject { ["type"] = "layers", ["diff_ids"] = diffIds },
        };
        return new OciBlob(docker ? DockerConfigType : OciConfigType, Encoding.UTF8.GetBytes(config.ToJsonString()));
    }

    /// <summary>An image manifest (OCI image-spec manifest.md, or Docker v2 schema 2).</summary>
    public static OciTestImage Image(OciBlob config, IReadOnlyList<OciBlob> layers, bool docker = false)
    {
        var layerArray = new JsonArray();
        foreach (var layer in layers)
        {
            layerArray.Add(layer.Descriptor());
        }

        var manifest = new JsonObject
        {
            ["schemaVersion"] = 2,
            ["mediaType"] = docker ? DockerManifestType : OciManifestType,
            ["config"] = config.Descriptor(),
            ["layers"] = layerArray,
        };
        return new OciTestImage(new OciBlob(docker ? DockerManifestType : OciManifestType, Encoding.UTF8.GetBytes(manifest.ToJsonString())), config, layers);
    }

    /// <summary>A single-layer image built from tar entries, gzip-compressed.</summary>
    public static OciTestImage SimpleImage(byte[] layerTar, IEnumerable<string>? env = null, string workingDir = "", bool docker = false) =>
        Image(Config([layerTar], env, workingDir, docker: docker), [GzipLayer(layerTar, docker)], docker);

    /// <summary>An image index / manifest list (image-spec image-index.md) with one entry per platform.</summary>
    public static OciTestIndex Index(IReadOnlyList<(OciTestImage Image, string Os, string Architecture, string? Variant)> platforms, bool docker = false)
    {
        var manifests = new JsonArray();
        foreach (var (image, os, architecture, variant) in platforms)
        {
            var descriptor = image.Manifest.Descriptor();
            var platform = new JsonObject { ["architecture"] = architecture, ["os"] = os };
            if (variant is not null)
            {
                platform["variant"] = variant;
            }

            descriptor["platform"] = platform;
            manifests.Add(descriptor);
        }

        var type = docker ? DockerListType : OciIndexType;
        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = type, ["manifests"] = manifests };
        return new OciTestIndex(new OciBlob(type, Encoding.UTF8.GetBytes(index.ToJsonString())), platforms.Select(p => p.Image).ToList());
    }

    /// <summary>The architecture name (GOARCH) of this machine, as the importer picks it.</summary>
    public static string HostArchitecture => System.Runtime.InteropServices.RuntimeInformation.OSArchitecture switch
    {
        System.Runtime.InteropServices.Architecture.Arm64 => "arm64",
        System.Runtime.InteropServices.Architecture.X86 => "386",
        System.Runtime.InteropServices.Architecture.Arm => "arm",
        _ => "amd64",
    };
}
