using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Contree.Bench;

/// <summary>Collects rows, prints the table and writes <c>&lt;yyyy-MM-dd&gt;.json</c> (and the same table as markdown).</summary>
internal sealed class BenchReport
{
    private static readonly JsonSerializerOptions JsonOptions = new() { WriteIndented = true };
    private readonly List<BenchRow> _rows = [];
    private readonly List<string> _loads = [];
    private readonly List<string> _failures = [];
    private readonly DateTimeOffset _started = DateTimeOffset.UtcNow;
    private readonly string _loadAtStart = LoadAverage();

    public IReadOnlyList<BenchRow> Rows => _rows;

    /// <summary>What <c>contree-mcp --version</c> printed, and the repository's HEAD commit when known.</summary>
    public string ServerVersion { get; set; } = "";

    public string Commit { get; set; } = "";

    public void Add(BenchRow row)
    {
        _rows.Add(row);
        _loads.Add(LoadAverage());
        Console.WriteLine(FormatLine(row));
    }

    public void Fail(string scenario, Exception e)
    {
        var message = $"{scenario}: {e.GetType().Name}: {e.Message}";
        _failures.Add(message);
        Console.Error.WriteLine("FAILED " + message);
    }

    public void Note(string text) => Console.WriteLine("  " + text);

    /// <summary>Prints the table and writes the JSON and markdown files; returns the JSON path.</summary>
    public string Write(string directory, BenchOptions options, string serverDll)
    {
        Console.WriteLine();
        Console.WriteLine(Header());
        foreach (var row in _rows)
        {
            Console.WriteLine(FormatLine(row));
        }

        foreach (var failure in _failures)
        {
            Console.WriteLine("FAILED " + failure);
        }

        Directory.CreateDirectory(directory);
        var date = _started.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        var json = new JsonObject
        {
            ["date"] = _started.ToString("O", CultureInfo.InvariantCulture),
            ["finished"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
            ["machine"] = new JsonObject
            {
                ["cores"] = Environment.ProcessorCount,
                ["kernel"] = File.Exists("/proc/sys/kernel/osrelease") ? File.ReadAllText("/proc/sys/kernel/osrelease").Trim() : "",
                ["cpu"] = CpuModel(),
                ["memory_mib"] = MemoryMiB(),
                ["load_average_start"] = _loadAtStart,
                ["load_average_end"] = LoadAverage(),
                ["dotnet"] = Environment.Version.ToString(),
            },
            ["server"] = serverDll,
            ["server_version"] = ServerVersion,
            ["commit"] = Commit,
            ["quick"] = options.Quick,
            ["rows"] = new JsonArray([.. _rows.Select((r, i) => (JsonNode)RowJson(r, _loads[i]))]),
            ["failures"] = new JsonArray([.. _failures.Select(static f => (JsonNode)f)]),
        };
        var path = Path.Combine(directory, date + (options.Quick ? "-quick" : "") + ".json");
        File.WriteAllText(path, json.ToJsonString(JsonOptions) + "\n");
        File.WriteAllText(Path.ChangeExtension(path, ".md"), Markdown());
        return path;
    }

    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "";

    private string Markdown()
    {
        var text = new StringBuilder();
        text.AppendLine($"Measured {_started:yyyy-MM-dd HH:mm} UTC on {Environment.ProcessorCount} cores; load average {_loadAtStart} at start, {LoadAverage()} at the end.");
        text.AppendLine();
        text.AppendLine("| # | metric | unit | n | median | p95 | max | baseline | baseline median | ratio | target | met |");
        text.AppendLine("|---|---|---|---|---|---|---|---|---|---|---|---|");
        foreach (var r in _rows)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {r.Scenario} | {r.Metric} | {r.Unit} | {r.Value.Count} | {N(r.Value.Median)} | {N(r.Value.P95)} | {N(r.Value.Max)} | {r.BaselineName ?? ""} | {(r.Baseline is null ? "" : N(r.Baseline.Median))} | {(r.EffectiveRatio is { } x ? N(x) + "x" : "")} | {r.Target} | {Met(r.Met)} |");
        }

        foreach (var failure in _failures)
        {
            text.AppendLine();
            text.AppendLine("FAILED: " + failure);
        }

        var notes = _rows.Where(static r => r.Note is not null).ToList();
        if (notes.Count > 0)
        {
            text.AppendLine();
            foreach (var r in notes)
            {
                text.AppendLine($"* {r.Scenario} {r.Metric}: {r.Note}");
            }
        }

        return text.ToString();
    }

    private static JsonObject RowJson(BenchRow r, string load)
    {
        var row = new JsonObject
        {
            ["scenario"] = r.Scenario,
            ["metric"] = r.Metric,
            ["unit"] = r.Unit,
            ["value"] = DistributionJson(r.Value),
        };
        if (r.Baseline is not null)
        {
            row["baseline_name"] = r.BaselineName;
            row["baseline"] = DistributionJson(r.Baseline);
        }

        if (r.EffectiveRatio is { } ratio)
        {
            row["ratio"] = Math.Round(ratio, 3);
        }

        row["target"] = r.Target;
        if (r.Met is { } met)
        {
            row["met"] = met;
        }

        if (r.Note is not null)
        {
            row["note"] = r.Note;
        }

        row["load_average"] = load;
        return row;
    }

    private static JsonObject DistributionJson(Distribution d) => new()
    {
        ["n"] = d.Count,
        ["median"] = Math.Round(d.Median, 3),
        ["p95"] = Math.Round(d.P95, 3),
        ["max"] = Math.Round(d.Max, 3),
        ["min"] = Math.Round(d.Min, 3),
    };

    private static string Header() =>
        $"{"#",-3} {"metric",-44} {"unit",-6} {"n",5} {"median",10} {"p95",10} {"max",10}  {"baseline",-30} {"b.median",10} {"ratio",8}  {"target",-26} met";

    private static string FormatLine(BenchRow r) =>
        $"{r.Scenario,-3} {Cut(r.Metric, 44),-44} {r.Unit,-6} {r.Value.Count,5} {N(r.Value.Median),10} {N(r.Value.P95),10} {N(r.Value.Max),10}  {Cut(r.BaselineName ?? "", 30),-30} {(r.Baseline is null ? "" : N(r.Baseline.Median)),10} {(r.EffectiveRatio is { } x ? N(x) + "x" : ""),8}  {Cut(r.Target, 26),-26} {Met(r.Met)}";

    private static string Met(bool? met) => met switch { true => "yes", false => "NO", null => "" };

    private static string Cut(string text, int width) => text.Length <= width ? text : text[..(width - 1)] + "…";

    private static string N(double value) => Math.Abs(value) switch
    {
        >= 1000 => value.ToString("F0", CultureInfo.InvariantCulture),
        >= 100 => value.ToString("F1", CultureInfo.InvariantCulture),
        >= 1 => value.ToString("F2", CultureInfo.InvariantCulture),
        _ => value.ToString("F3", CultureInfo.InvariantCulture),
    };

    private static string CpuModel() =>
        File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(static l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? ""
            : "";

    private static long MemoryMiB()
    {
        var line = File.Exists("/proc/meminfo") ? File.ReadLines("/proc/meminfo").FirstOrDefault(static l => l.StartsWith("MemTotal:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024;
    }
}
