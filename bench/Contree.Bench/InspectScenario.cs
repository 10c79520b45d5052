using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Contree.Bench;

/// <summary>
/// Scenario 4: <c>contree_read_file</c> of a file in the bottom layer of the large image and
/// <c>contree_list_files</c> of directories of 100 and 1,000 entries in it, against reading the same file from its
/// layer directory and listing the layer directory with lstat, in this process. The 1,000-entry listing is also
/// set against the MCP client's own work: parsing a response of that size, with no server involved.
/// </summary>
internal static class InspectScenario
{
    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var server = context.Server;
        var layers = EngineLayers.Of(server.DataDirectory, context.LargeImage);
        var bottomFile = Path.Combine(layers[^1], BenchImages.ReadTarget.TrimStart('/'));
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

        async Task<JsonElement> List(string path, int? count)
        {
            var result = await server.CallAsync("contree_list_files", new Dictionary<string, object?>
            {
                ["image"] = context.LargeImage,
                ["path"] = path,
            }, ct);
            var listed = result.GetProperty("count").GetInt32();
            if (count is { } want ? listed != want : listed < 10)
            {
                throw new BenchException($"list_files {path} returned {listed} entries, expected {count?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "at least 10"}");
            }

            return result;
        }

        JsonElement lastListing = default;
        var reps = context.Options.Repetitions;
        var read = Distribution.Of(await Timing.RepeatAsync(reps, 3, Read));
        var typical = Distribution.Of(await Timing.RepeatAsync(reps, 3, _ => List(BenchImages.TypicalDirectory, BenchImages.TypicalEntries)));
        var list = Distribution.Of(await Timing.RepeatAsync(reps, 3, async _ => lastListing = await List(BenchImages.ManyDirectory, BenchImages.ManyEntries)));
        var listCold = Distribution.Of(await Timing.RepeatAsync(BenchImages.ColdDirectories, 0, i => List(BenchImages.ColdDirectory(i), BenchImages.ManyEntries)));
        var listRoot = Distribution.Of(await Timing.RepeatAsync(reps, 3, _ => List("/", null)));

        var directRead = Distribution.Of(Enumerable.Range(0, reps + 3).Select(_ => Timing.Time(() => File.ReadAllBytes(bottomFile))).Skip(3).ToList());
        var directTypical = DirectList(layers, BenchImages.TypicalDirectory, BenchImages.TypicalEntries, reps);
        var directList = DirectList(layers, BenchImages.ManyDirectory, BenchImages.ManyEntries, reps);
        var (response, clientParse) = ClientParse(lastListing, reps);

        context.Report.Add(new BenchRow("4", $"read_file {BenchImages.ReadTarget} (bottom of {layers.Count} layers)", "ms", read,
            "read from the layer dir", directRead, Target: "median < 5 ms", Met: read.Median < 5));
        context.Report.Add(new BenchRow("4", $"list_files of {BenchImages.TypicalEntries} entries", "ms", typical,
            "readdir + lstat of layer dir", directTypical, Target: "median < 5 ms", Met: typical.Median < 5));
        context.Report.Add(new BenchRow("4", $"list_files of {BenchImages.ManyEntries} entries", "ms", list,
            "client parsing the same response", clientParse, Target: "median < 5 ms", Met: list.Median < 5,
            Note: $"the response is {response / 1024} KiB: the listing twice (structuredContent and a JSON text block, its quotes escaped as \\u0022); " +
                $"the MCP C# client alone needs the baseline's time to parse it; readdir + lstat of the layer dir takes {directList.Median:0.00} ms"));
        context.Report.Add(new BenchRow("4", $"list_files of {BenchImages.ManyEntries} entries, first listing", "ms", listCold,
            "readdir + lstat of layer dir", directList,
            Note: $"each of {BenchImages.ColdDirectories} directories listed once, so the engine reads its layer from disk (the row above is served from its cache of layer listings)"));
        context.Report.Add(new BenchRow("4", "list_files / (a few entries, for the fixed cost)", "ms", listRoot));
    }

    /// <summary>readdir + lstat of the layer directory that holds <paramref name="path"/>, the way ls -l reads it.</summary>
    private static Distribution DirectList(IReadOnlyList<string> layers, string path, int entries, int reps)
    {
        var directory = layers.Select(l => Path.Combine(l, path.TrimStart('/'))).FirstOrDefault(Directory.Exists)
            ?? throw new BenchException($"no layer of the large image holds {path}");
        return Distribution.Of(Enumerable.Range(0, reps + 3).Select(_ => Timing.Time(() => StatAll(directory, entries))).Skip(3).ToList());
    }

    private static void StatAll(string directory, int expected)
    {
        var count = 0;
        foreach (var entry in new DirectoryInfo(directory).EnumerateFileSystemInfos())
        {
            // FileSystemInfo reads lstat lazily; touching Length/LastWriteTime forces it like ls -l would.
            count += entry is FileInfo file && file.Length >= 0 && file.LastWriteTimeUtc.Year > 0 ? 1 : 0;
        }

        if (count != expected)
        {
            throw new BenchException($"{directory} holds {count} files, expected {expected}");
        }
    }

    /// <summary>
    /// Rebuilds the tools/call response the server sent for <paramref name="structured"/> (the same two copies, written
    /// by the SDK's own serializer) and times what the SDK client does on receipt: read the JSON-RPC message, then the
    /// CallToolResult inside it.
    /// </summary>
    private static (int Bytes, Distribution Parse) ClientParse(JsonElement structured, int reps)
    {
        var options = McpJsonUtilities.DefaultOptions;
        var result = new CallToolResult
        {
            Content = [new TextContentBlock { Text = structured.GetRawText() }],
            StructuredContent = structured,
        };
        var response = new JsonRpcResponse
        {
            Id = new RequestId(1),
            Result = JsonSerializer.SerializeToNode(result, options.GetTypeInfo(typeof(CallToolResult))),
        };
        var bytes = JsonSerializer.SerializeToUtf8Bytes(response, options.GetTypeInfo(typeof(JsonRpcMessage)));
        var samples = Enumerable.Range(0, reps + 3).Select(_ => Timing.Time(() =>
        {
            var message = (JsonRpcResponse)JsonSerializer.Deserialize(bytes, options.GetTypeInfo(typeof(JsonRpcMessage)))!;
            var parsed = (CallToolResult?)JsonSerializer.Deserialize(message.Result, options.GetTypeInfo(typeof(CallToolResult)));
            if (parsed?.StructuredContent is null)
            {
                throw new BenchException("the rebuilt list_files response did not parse back");
            }
        })).Skip(3).ToList();
        return (bytes.Length, Distribution.Of(samples));
    }
}
