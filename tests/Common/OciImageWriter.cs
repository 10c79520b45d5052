using System.Formats.Tar;
using System.Text;
using System.Text.Json.Nodes;

namespace Contree.Tests.Common;

/// <summary>Writes test images as OCI image layouts (directory or oci-archive tar) and as docker-archive tars.</summary>
public static class OciImageWriter
{
    private const string RefNameAnnotation = "org.opencontainers.image.ref.name";

    /// <summary>An OCI layout directory (image-spec image-layout.md) holding the images, each under its tag (or none).</summary>
    /// <summary>A busybox root filesystem at <c>&lt;root&gt;/rootfs</c> as an OCI layout at <c>&lt;root&gt;/layout</c> with tag "1"; returns the layout.</summary>
    public static string WriteBusyboxLayout(string root)
    {
        var layout = Path.Combine(root, "layout");
        var rootfs = BusyboxRootfs.Create(Path.Combine(root, "rootfs"));
        WriteLayout(layout, (OciImageBuilder.SimpleImage(OciImageBuilder.TarDirectory(rootfs)), "1"));
        return layout;
    }

    public static void WriteLayout(string directory, params (OciTestImage Image, string? Tag)[] images) =>
        WriteFiles(directory, LayoutFiles(images.Select(i => (i.Image.Manifest, i.Image.Blobs, i.Tag))));

    /// <summary>An OCI layout whose index.json points at a multi-platform index.</summary>
    public static void WriteLayout(string directory, OciTestIndex index, string? tag) =>
        WriteFiles(directory, LayoutFiles([(index.Index, index.Images.SelectMany(i => i.Blobs.Append(i.Manifest)), tag)]));

    /// <summary>An oci-archive: the layout as an uncompressed tar.</summary>
    public static void WriteOciArchive(string file, params (OciTestImage Image, string? Tag)[] images) =>
        WriteTar(file, LayoutFiles(images.Select(i => (i.Image.Manifest, i.Image.Blobs, i.Tag))));

    /// <summary>
    /// A <c>docker save</c>-style archive: <c>manifest.json</c>, <c>&lt;config hex&gt;.json</c> and
    /// <c>&lt;n&gt;/layer.tar</c> with the uncompressed layer tars. Returns the config blob (its digest is the image id).
    /// </summary>
    public static OciBlob WriteDockerArchive(string file, IReadOnlyList<byte[]> layerTars, string repoTag, IEnumerable<string>? env = null, string workingDir = "")
    {
        var config = OciImageBuilder.Config(layerTars, env, workingDir, docker: true);
        var files = new List<(string, byte[])> { ($"{config.Hex}.json", config.Data) };
        var layers = new JsonArray();
        for (var i = 0; i < layerTars.Count; i++)
        {
            files.Add(($"layer{i}/layer.tar", layerTars[i]));
            layers.Add($"layer{i}/layer.tar");
        }

        var manifest = new JsonArray(new JsonObject
        {
            ["Config"] = $"{config.Hex}.json",
            ["RepoTags"] = new JsonArray(repoTag),
            ["Layers"] = layers,
        });
        files.Insert(0, ("manifest.json", Encoding.UTF8.GetBytes(manifest.ToJsonString())));
        WriteTar(file, files);
        return config;
    }

    private static List<(string Path, byte[] Data)> LayoutFiles(IEnumerable<(OciBlob Top, IEnumerable<OciBlob> Blobs, string? Tag)> images)
    {
        var files = new List<(string Path, byte[] Data)> { ("oci-layout", """{"imageLayoutVersion":"1.0.0"}"""u8.ToArray()) };
        var blobs = new Dictionary<string, OciBlob>();
        var manifests = new JsonArray();
        foreach (var (top, children, tag) in images)
        {
            blobs[top.Digest] = top;
            foreach (var blob in children)
            {
                blobs[blob.Digest] = blob;
            }

            var descriptor = top.Descriptor();
            if (tag is not null)
            {
                descriptor["annotations"] = new JsonObject { [RefNameAnnotation] = tag };
            }

            manifests.Add(descriptor);
        }

        var index = new JsonObject { ["schemaVersion"] = 2, ["mediaType"] = OciImageBuilder.OciIndexType, ["manifests"] = manifests };
        files.Add(("index.json", Encoding.UTF8.GetBytes(index.ToJsonString())));
        files.AddRange(blobs.Values.Select(b => ($"blobs/sha256/{b.Hex}", b.Data)));
        return files;
    }

    private static void WriteFiles(string directory, IEnumerable<(string Path, byte[] Data)> files)
    {
        foreach (var (path, data) in files)
        {
            var full = Path.Combine(directory, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllBytes(full, data);
        }
    }

    private static void WriteTar(string file, IEnumerable<(string Path, byte[] Data)> files)
    {
        using var output = File.Create(file);
        using var writer = new TarWriter(output, TarEntryFormat.Pax);
        var directories = new HashSet<string>();
        foreach (var (path, data) in files)
        {
            var slash = path.LastIndexOf('/');
            for (var i = path.IndexOf('/'); slash > 0 && i > 0 && i <= slash; i = path.IndexOf('/', i + 1))
            {
                var dir = path[..(i + 1)];
                if (directories.Add(dir))
                {
                    writer.WriteEntry(new PaxTarEntry(TarEntryType.Directory, dir) { Mode = (UnixFileMode)0b111_101_101 });
                }
            }

            writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, path) { DataStream = new MemoryStream(data), Mode = (UnixFileMode)0b110_100_100 });
        }
    }
}
