using System.Globalization;
using System.Text;

namespace Contree.Bench;

/// <summary>
/// The test images, built here without network: <c>small</c> (busybox, one layer), <c>large</c> (busybox plus three
/// layers of generated files, several hundred MB) and <c>medium</c> (busybox plus three gzip layers, over 50 MB,
/// pushed to the loopback registry for scenario 6).
/// </summary>
internal sealed class BenchImages
{
    public const string ImageEnv = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>A directory of many small entries in the large image (scenario 4 list_files).</summary>
    public const string ManyDirectory = "/usr/share/bench/many";

    public const int ManyEntries = 1000;

    /// <summary>A directory of the size agents usually list (a project or config directory), in the large image.</summary>
    public const string TypicalDirectory = "/usr/share/bench/typical";

    public const int TypicalEntries = 100;

    /// <summary>
    /// Directories like <see cref="ManyDirectory"/> (of empty files) that are each listed once, so that every
    /// listing reads the layer from disk instead of the engine's cache of layer listings.
    /// </summary>
    public const string ColdDirectoryPrefix = "/usr/share/bench/cold/d";

    public const int ColdDirectories = 20;

    /// <summary>A small file in the bottom layer of the large image (scenario 4 read_file).</summary>
    public const string ReadTarget = "/etc/passwd";

    private BenchImages(OciLayoutWriter small, OciLayoutWriter large, OciLayoutWriter medium)
    {
        Small = small;
        Large = large;
        Medium = medium;
    }

    public OciLayoutWriter Small { get; }

    public OciLayoutWriter Large { get; }

    public OciLayoutWriter Medium { get; }

    public static async Task<BenchImages> BuildAsync(string directory, int largeLayerMiB, int mediumLayerMiB, CancellationToken cancellationToken = default)
    {
        var rootfs = await BusyboxRootfs.CreateAsync(Path.Combine(directory, "rootfs"), cancellationToken);

        var small = new OciLayoutWriter(Path.Combine(directory, "small"));
        small.AddLayer(gzip: false, tar => OciLayoutWriter.WriteTree(tar, rootfs));
        small.Finish("small", [ImageEnv]);

        var large = new OciLayoutWriter(Path.Combine(directory, "large"));
        large.AddLayer(gzip: false, tar => OciLayoutWriter.WriteTree(tar, rootfs));
        large.AddLayer(gzip: false, tar =>
        {
            foreach (var dir in new[] { "usr/share", "usr/share/bench", "usr/share/bench/many", "usr/share/bench/cold", "usr/share/bench/typical" })
            {
                OciLayoutWriter.WriteDirectory(tar, dir);
            }

            for (var i = 0; i < TypicalEntries; i++)
            {
                OciLayoutWriter.WriteFile(tar, $"usr/share/bench/typical/source{i:D3}.py", Encoding.ASCII.GetBytes($"print({i})\n"));
            }

            for (var d = 0; d < ColdDirectories; d++)
            {
                var dir = ColdDirectory(d).TrimStart('/');
                OciLayoutWriter.WriteDirectory(tar, dir);
                for (var i = 0; i < ManyEntries; i++)
                {
                    OciLayoutWriter.WriteFile(tar, $"{dir}/f{i:D4}", []);
                }
            }

            var content = new byte[1024];
            for (var i = 0; i < ManyEntries; i++)
            {
                new Random(i).NextBytes(content);
                OciLayoutWriter.WriteFile(tar, $"usr/share/bench/many/f{i:D4}", content);
            }

            WriteBulk(tar, "opt/l1", largeLayerMiB, seed: 1, compressible: false);
        });
        large.AddLayer(gzip: false, tar => WriteBulk(tar, "opt/l2", largeLayerMiB, seed: 2, compressible: false));
        large.AddLayer(gzip: false, tar => WriteBulk(tar, "opt/l3", largeLayerMiB, seed: 3, compressible: false));
        large.Finish("large", [ImageEnv]);

        var medium = new OciLayoutWriter(Path.Combine(directory, "medium"));
        medium.AddLayer(gzip: true, tar => OciLayoutWriter.WriteTree(tar, rootfs));
        for (var layer = 1; layer <= 3; layer++)
        {
            var seed = 10 + layer;
            medium.AddLayer(gzip: true, tar => WriteBulk(tar, $"srv/m{seed}", mediumLayerMiB, seed, compressible: true));
        }

        medium.Finish("medium", [ImageEnv]);
        return new BenchImages(small, large, medium);
    }

    public static string ColdDirectory(int index) => ColdDirectoryPrefix + index.ToString("D2", CultureInfo.InvariantCulture);

    /// <summary>
    /// <paramref name="mib"/> files of 1 MiB under <paramref name="directory"/>. Random bytes do not compress;
    /// "compressible" files are one third text, roughly what a gzip layer of binaries and sources looks like.
    /// </summary>
    private static void WriteBulk(System.Formats.Tar.TarWriter tar, string directory, int mib, int seed, bool compressible)
    {
        var parts = directory.Split('/');
        for (var i = 1; i <= parts.Length; i++)
        {
            OciLayoutWriter.WriteDirectory(tar, string.Join('/', parts[..i]));
        }

        var random = new Random(seed);
        var content = new byte[1 << 20];
        var text = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(0, 4096).Select(static n => "line " + n.ToString(CultureInfo.InvariantCulture) + " of generated text\n")));
        for (var i = 0; i < mib; i++)
        {
            random.NextBytes(content);
            if (compressible)
            {
                text.AsSpan(0, Math.Min(text.Length, content.Length / 3)).CopyTo(content);
            }

            OciLayoutWriter.WriteFile(tar, $"{directory}/blob{i:D4}.bin", content);
        }
    }
}
