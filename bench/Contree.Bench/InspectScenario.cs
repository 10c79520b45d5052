namespace Contree.Bench;

/// <summary>
/// Scenario 4: <c>contree_read_file</c> of a file in the bottom layer of the large image and
/// <c>contree_list_files</c> of a directory of 1,000 entries in it, against reading the same file from its layer
/// directory and listing the layer directory with lstat, in this process.
/// </summary>
internal static class InspectScenario
{
    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var server = context.Server;
        var layers = EngineLayers.Of(server.DataDirectory, context.LargeImage);
        var bottomFile = Path.Combine(layers[^1], BenchImages.ReadTarget.TrimStart('/'));
        var manyLayer = layers.Select(l => Path.Combine(l, BenchImages.ManyDirectory.TrimStart('/'))).FirstOrDefault(Directory.Exists)
            ?? throw new BenchException($"no layer of the large image holds {BenchImages.ManyDirectory}");
        var expected = await File.ReadAllTextAsync(bottomFile, ct);

        async Task Read(int i)
        {
            var result = await server.CallAsync("contree_read_file", new Dictionary<string, object?>
            {
                ["image"] = context.LargeImage,
                ["path"] = BenchImages.ReadTarget,
            }, ct);
            if (result.GetProperty("content").GetString() != expected)
            {
                throw new BenchException($"read_file returned other content than {bottomFile}: {result}");
            }
        }

        var listBytes = 0;
        async Task List(int i)
        {
            var result = await server.CallAsync("contree_list_files", new Dictionary<string, object?>
            {
                ["image"] = context.LargeImage,
                ["path"] = BenchImages.ManyDirectory,
            }, ct);
            listBytes = System.Text.Encoding.UTF8.GetByteCount(result.GetRawText());
            if (result.GetProperty("count").GetInt32() != BenchImages.ManyEntries)
            {
                throw new BenchException($"list_files returned {result.GetProperty("count")} entries, expected {BenchImages.ManyEntries}");
            }
        }

        async Task ListRoot(int i)
        {
            var result = await server.CallAsync("contree_list_files", new Dictionary<string, object?>
            {
                ["image"] = context.LargeImage,
                ["path"] = "/",
            }, ct);
            if (result.GetProperty("count").GetInt32() < 10)
            {
                throw new BenchException($"list_files / returned too few entries: {result}");
            }
        }

        var reps = context.Options.Repetitions;
        var read = Distribution.Of(await Timing.RepeatAsync(reps, 3, Read));
        var list = Distribution.Of(await Timing.RepeatAsync(reps, 3, List));
        var listRoot = Distribution.Of(await Timing.RepeatAsync(reps, 3, ListRoot));
        var directRead = Distribution.Of(Enumerable.Range(0, reps + 3).Select(_ => Timing.Time(() => File.ReadAllBytes(bottomFile))).Skip(3).ToList());
        var directList = Distribution.Of(Enumerable.Range(0, reps + 3).Select(_ => Timing.Time(() => StatAll(manyLayer))).Skip(3).ToList());
        context.Report.Add(new BenchRow("4", $"read_file {BenchImages.ReadTarget} (bottom of {layers.Count} layers)", "ms", read,
            "read from the layer dir", directRead, Target: "median < 5 ms", Met: read.Median < 5));
        context.Report.Add(new BenchRow("4", $"list_files of {BenchImages.ManyEntries} entries", "ms", list,
            "readdir + lstat of layer dir", directList, Target: "median < 5 ms", Met: list.Median < 5,
            Note: $"the result is {listBytes / 1024} KiB of JSON, sent twice (structuredContent and a text block)"));
        context.Report.Add(new BenchRow("4", "list_files / (a few entries, for the fixed cost)", "ms", listRoot,
            Note: "the difference to the 1,000-entry listing is the per-entry cost (layer lookups, JSON twice: structured and text)"));
    }

    private static void StatAll(string directory)
    {
        var count = 0;
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            // FileSystemInfo reads lstat lazily; touching Length/LastWriteTime forces it like ls -l would.
            count += entry is FileInfo file && file.Length >= 0 && file.LastWriteTimeUtc.Year > 0 ? 1 : 0;
        }

        if (count != BenchImages.ManyEntries)
        {
            throw new BenchException($"{directory} holds {count} files, expected {BenchImages.ManyEntries}");
        }
    }
}
