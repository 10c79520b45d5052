using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using ModelContextProtocol;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

namespace Contree.Bench;

/// <summary>
/// Scenario 9: one run printing 300 MB with <c>truncate_output_at</c> at its largest (64 MiB) on a fresh server.
/// Reports the server's peak resident memory (VmHWM) against its resident memory when idle after a warm-up, and the
/// size of the tools/call response as the client received it. When the result names an output resource, its last
/// kilobyte is read back and checked, so the kept output is shown to be reachable.
/// </summary>
internal static class OutputFloodScenario
{
    private const long FloodBytes = 300_000_000;
    private const long KeepBytes = 64L * 1024 * 1024;

    /// <summary>What the server keeps in memory per run by design: head and tail windows of both streams.</summary>
    private const double KeptByDesignMiB = 4;

    public static async Task RunAsync(BenchContext context)
    {
        var ct = context.CancellationToken;
        var root = context.NewDirectory("flood");
        await using var server = await McpServerSession.StartLocalAsync(context.Options.ServerDll, root, ct);
        var image = await BenchContext.ImportAsync(server, $"oci:{context.Images.Small.Directory}:small", "bench/small", ct);
        for (var i = 0; i < 5; i++)
        {
            await BenchContext.RunAsync(server, image, "echo hi", disposable: true, ct);
        }

        var idle = LeakProbe.Take(server.ProcessId, server.DataDirectory).RssMiB;
        var peakBefore = LeakProbe.PeakRssMiB(server.ProcessId);
        var command = $"head -c {FloodBytes} /dev/zero | tr '\\0' a";
        var start = Stopwatch.GetTimestamp();
        CallToolResult result;
        try
        {
            result = await server.Client.CallToolAsync("contree_run", new Dictionary<string, object?>
            {
                ["command"] = command,
                ["image"] = image,
                ["truncate_output_at"] = KeepBytes,
                ["timeout"] = 600,
                ["wait"] = true,
            }, cancellationToken: ct);
        }
        catch (Exception e) when (e is IOException or McpException or InvalidOperationException or ObjectDisposedException)
        {
            var peak = TryPeak(server.ProcessId);
            throw new BenchException($"the flood call failed after {Stopwatch.GetElapsedTime(start).TotalSeconds:F1} s ({e.GetType().Name}: {e.Message}); server peak RSS {peak}, idle {idle:F1} MiB; stderr:\n{server.StandardError}");
        }

        var seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        var peakMiB = LeakProbe.PeakRssMiB(server.ProcessId);
        var responseBytes = JsonSerializer.SerializeToUtf8Bytes(result, McpJsonUtilities.DefaultOptions).Length;
        if (result.IsError is true || result.StructuredContent is not { } structured)
        {
            throw new BenchException($"the flood run failed: {string.Concat(result.Content.OfType<TextContentBlock>().Select(static c => c.Text))}");
        }

        BenchContext.CheckRun(structured, command);
        var resource = await CheckResourceAsync(server.Client, structured, ct);
        var target = idle + 64 + KeptByDesignMiB;
        context.Report.Add(new BenchRow("9", "300 MB flood at truncate_output_at 64 MiB: server peak RSS", "MiB", Distribution.Single(peakMiB),
            "idle RSS after warm-up", Distribution.Single(idle),
            Target: string.Create(CultureInfo.InvariantCulture, $"< idle + 64 + {KeptByDesignMiB} MiB"), Met: peakMiB < target,
            Note: string.Create(CultureInfo.InvariantCulture,
                $"peak before the flood {peakBefore:F1} MiB; growth {peakMiB - idle:F1} MiB; run took {seconds:F1} s; {resource}")));
        context.Report.Add(new BenchRow("9", "300 MB flood: tools/call response size", "MiB", Distribution.Single(responseBytes / 1048576.0),
            Target: "bounded (< 8 MiB)", Met: responseBytes < 8 * 1048576,
            Note: string.Create(CultureInfo.InvariantCulture,
                $"{responseBytes} bytes of JSON (structured content and its text copy); stdout_bytes {Field(structured, "stdout_bytes")}, truncated {Field(structured, "stdout_truncated")}")));
    }

    /// <summary>Reads the last KiB of the kept stdout through the output resource, when the result names one.</summary>
    private static async Task<string> CheckResourceAsync(McpClient client, JsonElement result, CancellationToken cancellationToken)
    {
        if (!result.TryGetProperty("stdout_resource", out var uri) || uri.GetString() is not { Length: > 0 } baseUri)
        {
            return "no output resource in the result";
        }

        var offset = KeepBytes - 1024;
        var read = await client.ReadResourceAsync($"{baseUri}?offset={offset}&length=1024", cancellationToken: cancellationToken);
        var text = read.Contents.OfType<TextResourceContents>().FirstOrDefault()?.Text ?? "";
        if (text != new string('a', 1024))
        {
            throw new BenchException($"the last KiB of the kept stdout read through {baseUri} was not 1024 'a's ({text.Length} characters)");
        }

        return $"last KiB of the kept 64 MiB read back through {baseUri}";
    }

    private static string Field(JsonElement result, string name) =>
        result.TryGetProperty(name, out var value) ? value.ToString() : "-";

    private static string TryPeak(int pid)
    {
        try
        {
            return LeakProbe.PeakRssMiB(pid).ToString("F1", CultureInfo.InvariantCulture) + " MiB";
        }
        catch (Exception e) when (e is IOException or BenchException)
        {
            return "unknown (the process is gone)";
        }
    }
}
