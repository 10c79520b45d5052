using System.Text.Json;

namespace Contree.Bench;

/// <summary>What the scenarios share: options, the work directory, the report, the test images and the main server.</summary>
internal sealed class BenchContext(BenchOptions options, string workDirectory, BenchReport report, CancellationToken cancellationToken)
{
    public BenchOptions Options { get; } = options;

    public string WorkDirectory { get; } = workDirectory;

    public BenchReport Report { get; } = report;

    public CancellationToken CancellationToken { get; } = cancellationToken;

    public BenchImages Images { get; set; } = null!;

    /// <summary>The long-lived server on the local engine that scenarios 1–5 and 7 measure.</summary>
    public McpServerSession Server { get; set; } = null!;

    public string SmallImage { get; set; } = "";

    public string LargeImage { get; set; } = "";

    /// <summary>Scenario 1's disposable run latency, the baseline of scenario 2's small-image commit.</summary>
    public Distribution? DisposableRun { get; set; }

    /// <summary>The main server right after start, before any work (scenario 7 idle memory).</summary>
    public LeakProbe? IdleProbe { get; set; }

    /// <summary>A fresh directory under the work directory.</summary>
    public string NewDirectory(string name)
    {
        var path = Path.Combine(WorkDirectory, name + "-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(path);
        return path;
    }

    /// <summary>contree_run with wait=true; the operation must succeed with exit code 0.</summary>
    public static Task<JsonElement> RunAsync(McpServerSession server, string image, string command, bool disposable, CancellationToken cancellationToken = default) =>
        RunAsync(server, image, command, disposable, network: null, cancellationToken);

    /// <summary>A run with <paramref name="network"/> (internet or none; null: the server's default).</summary>
    public static Task<JsonElement> RunAsync(
        McpServerSession server, string image, string command, bool disposable, string? network, CancellationToken cancellationToken = default) =>
        RunAsync(server, image, command, disposable, network, allowedHosts: null, cancellationToken);

    /// <summary>A run with <paramref name="network"/> and, when not null, <paramref name="allowedHosts"/>.</summary>
    public static async Task<JsonElement> RunAsync(
        McpServerSession server, string image, string command, bool disposable, string? network, IReadOnlyList<string>? allowedHosts, CancellationToken cancellationToken = default)
    {
        var arguments = new Dictionary<string, object?>
        {
            ["command"] = command,
            ["image"] = image,
            ["disposable"] = disposable,
            ["wait"] = true,
        };
        if (network is not null)
        {
            arguments["network"] = network;
        }

        if (allowedHosts is not null)
        {
            arguments["allowed_hosts"] = allowedHosts;
        }

        var result = await server.CallAsync("contree_run", arguments, cancellationToken);
        CheckRun(result, command);
        return result;
    }

    /// <summary>The run's flat result must say SUCCESS and exit code 0.</summary>
    public static void CheckRun(JsonElement result, string command)
    {
        var status = result.TryGetProperty("status", out var s) ? s.GetString() : null;
        var exit = result.TryGetProperty("exit_code", out var e) && e.ValueKind == JsonValueKind.Number ? e.GetInt32() : -1;
        if (status != "SUCCESS" || exit != 0)
        {
            throw new BenchException($"run of '{command}' did not succeed: {result}");
        }
    }

    /// <summary>contree_import_image with wait=true; returns the new image's UUID.</summary>
    public static async Task<string> ImportAsync(McpServerSession server, string registryUrl, string? tag, CancellationToken cancellationToken = default)
    {
        var result = await server.CallAsync("contree_import_image", new Dictionary<string, object?>
        {
            ["registry_url"] = registryUrl,
            ["tag"] = tag,
            ["wait"] = true,
        }, cancellationToken);
        if (!result.TryGetProperty("status", out var status) || status.GetString() != "SUCCESS"
            || !result.TryGetProperty("result_image", out var image) || image.GetString() is not { Length: > 0 } uuid)
        {
            throw new BenchException($"import of {registryUrl} did not succeed: {result}");
        }

        return uuid;
    }
}
