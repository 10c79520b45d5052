using System.Globalization;

namespace Contree.Bench;

/// <summary>Command line of the harness (see bench/run.sh and docs/performance.md).</summary>
internal sealed class BenchOptions
{
    public string ServerDll { get; private set; } = Path.Combine(AppContext.BaseDirectory, "contree-mcp.dll");

    public string OutputDirectory { get; private set; } = Path.Combine(Environment.CurrentDirectory, "bench", "results");

    /// <summary>Fewer repetitions and smaller images, for a smoke run of the harness itself.</summary>
    public bool Quick { get; private set; }

    /// <summary>Scenarios to run (1–12); all by default.</summary>
    public ISet<int> Scenarios { get; } = new SortedSet<int>([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);

    public bool KeepWorkDirectory { get; private set; }

    public int RunRepetitions => Quick ? 100 : 1000;

    public int Repetitions => Quick ? 5 : 20;

    public int FewRepetitions => Quick ? 2 : 3;

    /// <summary>Iterations of scenario 2 (four runs of ~15 ms each): enough for a stable ratio of two medians.</summary>
    public int CommitIterations => Quick ? 5 : 60;

    /// <summary>Repetitions of scenario 3's batches of 50 runs (each well under a second).</summary>
    public int BatchRepetitions => Quick ? 2 : 5;

    public int LargeLayerMiB => Quick ? 20 : 120;

    public int MediumLayerMiB => Quick ? 6 : 20;

    public int RsyncFiles => Quick ? 2000 : 10_000;

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions();
        for (var i = 0; i < args.Length; i++)
        {
            string Value() => i + 1 < args.Length ? args[++i] : throw new BenchException($"{args[i]} needs a value");
            switch (args[i])
            {
                case "--server":
                    options.ServerDll = Path.GetFullPath(Value());
                    break;
                case "--out":
                    options.OutputDirectory = Path.GetFullPath(Value());
                    break;
                case "--quick":
                    options.Quick = true;
                    break;
                case "--keep":
                    options.KeepWorkDirectory = true;
                    break;
                case "--only":
                    options.Scenarios.Clear();
                    foreach (var part in Value().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n is < 1 or > 12)
                        {
                            throw new BenchException($"--only takes scenario numbers 1-12 separated by commas, got: {part}");
                        }

                        options.Scenarios.Add(n);
                    }

                    break;
                default:
                    throw new BenchException($"unknown argument '{args[i]}'; usage: contree-bench [--server contree-mcp.dll] [--out dir] [--quick] [--only 1,2,..] [--keep]");
            }
        }

        if (!File.Exists(options.ServerDll))
        {
            throw new BenchException($"server {options.ServerDll} does not exist; build src/Contree.Server or pass --server");
        }

        return options;
    }
}
