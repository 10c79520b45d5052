using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Contree.Bench;

/// <summary>
/// Scenario 5: <c>contree_rsync</c> of a tree of 10,000 small files: first sync, re-sync with nothing changed and
/// re-sync with one file changed; against <c>cp -a</c> of the tree and a bare directory walk with lstat. Each
/// repetition uses its own tree with different content, so every first sync really uploads everything.
/// </summary>
internal static class RsyncScenario
{
    private const int FilesPerDirectory = 100;

    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var server = context.Server;
        var files = context.Options.RsyncFiles;
        var first = new List<double>();
        var unchanged = new List<double>();
        var oneChanged = new List<double>();
        var copy = new List<double>();
        var walk = new List<double>();
        for (var rep = 0; rep < context.Options.FewRepetitions; rep++)
        {
            var tree = await WriteTreeAsync(context.NewDirectory("tree"), files, rep, ct);
            var destination = $"/app{rep}";

            async Task<JsonElement> Sync() => await server.CallAsync("contree_rsync", new Dictionary<string, object?>
            {
                ["source"] = tree,
                ["destination"] = destination,
            }, ct);

            // cp -a first, so the page cache holds the tree for both the copy and the sync.
            var target = Path.Combine(context.NewDirectory("copy"), "tree");
            copy.Add(await Timing.TimeAsync(() => HostProcess.RunAsync("/bin/cp", ["-a", tree, target], ct)));
            walk.Add(Timing.Time(() => Walk(tree, files)));

            var result = default(JsonElement);
            first.Add(await Timing.TimeAsync(async () => result = await Sync()));
            Expect(result, "files", files);
            Expect(result, "uploaded", files);

            unchanged.Add(await Timing.TimeAsync(async () => result = await Sync()));
            Expect(result, "unchanged", files);

            var changed = Path.Combine(tree, "d000", "f000");
            await File.AppendAllTextAsync(changed, "changed\n", ct);
            File.SetLastWriteTimeUtc(changed, DateTime.UtcNow.AddSeconds(5));
            oneChanged.Add(await Timing.TimeAsync(async () => result = await Sync()));
            Expect(result, "uploaded", 1);
        }

        var label = files.ToString("N0", CultureInfo.InvariantCulture);
        var cp = Distribution.Of(copy);
        var stat = Distribution.Of(walk);
        var unchangedValue = Distribution.Of(unchanged);
        context.Report.Add(new BenchRow("5", $"rsync {label} files: first sync", "ms", Distribution.Of(first), "cp -a of the tree", cp));
        context.Report.Add(new BenchRow("5", $"rsync {label} files: unchanged re-sync", "ms", unchangedValue, "directory walk with lstat", stat,
            Target: "< 300 ms", Met: unchangedValue.Median < 300));
        context.Report.Add(new BenchRow("5", $"rsync {label} files: one file changed", "ms", Distribution.Of(oneChanged), "directory walk with lstat", stat));
    }

    private static void Expect(JsonElement result, string property, int expected)
    {
        if (!result.TryGetProperty(property, out var value) || value.GetInt32() != expected)
        {
            throw new BenchException($"rsync result has {property} != {expected}: {result}");
        }
    }

    private static async Task<string> WriteTreeAsync(string root, int files, int seed, CancellationToken cancellationToken)
    {
        var random = new Random(seed);
        for (var i = 0; i < files; i++)
        {
            var directory = Path.Combine(root, (i / FilesPerDirectory).ToString("'d'000", CultureInfo.InvariantCulture));
            Directory.CreateDirectory(directory);
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture, $"# tree {seed} file {i}\n");
            for (var line = random.Next(2, 12); line > 0; line--)
            {
                text.Append(CultureInfo.InvariantCulture, $"value_{random.Next()} = {random.NextDouble()}\n");
            }

            await File.WriteAllTextAsync(Path.Combine(directory, (i % FilesPerDirectory).ToString("'f'000", CultureInfo.InvariantCulture)), text.ToString(), cancellationToken);
        }

        return root;
    }

    private static void Walk(string root, int expected)
    {
        var count = 0;
        foreach (var entry in new DirectoryInfo(root).EnumerateFileSystemInfos("*", SearchOption.AllDirectories))
        {
            count += entry is FileInfo file && file.Length >= 0 && file.LastWriteTimeUtc.Year > 0 ? 1 : 0;
        }

        if (count != expected)
        {
            throw new BenchException($"{root} holds {count} files, expected {expected}");
        }
    }
}
