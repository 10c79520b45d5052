using System.Globalization;
using System.Text;
using System.Text.Json;
using Contree.Core.Models;
using Contree.Mcp.Json;

namespace Contree.Mcp.Rendering;

/// <summary>
/// Bounds the output text a tool result carries, whatever a run printed (docs/tools.md, "Output"): each stream gets at
/// most <see cref="MaxInlineBytes"/>, counted as the text is written in the JSON result (escapes included), so a
/// response stays a few MiB even for binary output. Longer output is shown as its head and its tail around one marker
/// line that says how many bytes were left out and which resource returns them.
/// </summary>
internal static class OutputText
{
    /// <summary>Output text per stream in one tool result: 1 MiB.</summary>
    public const int MaxInlineBytes = 1024 * 1024;

    /// <summary>Output text per stream in one result of several operations (wait_operations): 1 MiB in all, at least 16 KiB each.</summary>
    public const int MinInlineBytes = 16 * 1024;

    /// <summary>Bytes one read of an output resource returns at most: 1 MiB.</summary>
    public const int MaxResourceBytes = 1024 * 1024;

    private static readonly int[] AsciiCost = BuildAsciiCost();
    private static readonly int NonAsciiCost = JsonSerializer.Serialize("\u4e2d", McpJson.Options).Length - 2;

    /// <summary>The per-stream budget when <paramref name="operations"/> results share one response.</summary>
    public static int BudgetFor(int operations) => Math.Max(MinInlineBytes, MaxInlineBytes / Math.Max(1, operations));

    /// <summary><c>contree://operations/instance/{id}/stdout</c> or <c>…/stderr</c>.</summary>
    public static string ResourceUri(string operationId, OutputStream stream) =>
        $"contree://operations/instance/{operationId}/{stream.ToWire()}";

    /// <summary>The text of one stream within <paramref name="budget"/>, and how many of its bytes it leaves out.</summary>
    public static (string Text, long OmittedBytes) Render(StreamPayload payload, string operationId, OutputStream stream, int budget)
    {
        var bytes = payload.ToBytes();
        var headEnd = payload.OmittedBytes > 0 ? (int)payload.OmittedAt : bytes.Length;
        ReadOnlySpan<byte> head = bytes.AsSpan(0, headEnd);
        ReadOnlySpan<byte> tail = bytes.AsSpan(headEnd);
        if (payload.OmittedBytes == 0 && Cost(head, budget + 1) <= budget)
        {
            return (Encoding.UTF8.GetString(head), 0);
        }

        // Head and tail share the budget; a short head leaves the rest to the tail.
        var shownHead = Prefix(head, budget / 2);
        var shownTail = Suffix(payload.OmittedBytes > 0 ? tail : head[shownHead..], budget - Cost(head[..shownHead], budget));
        var size = payload.Size;
        var from = (long)shownHead;
        var to = size - shownTail;
        var omitted = to - from;
        var uri = ResourceUri(operationId, stream);
        var marker = string.Create(CultureInfo.InvariantCulture,
            $"\n[contree: {omitted} bytes of {stream.ToWire()} omitted here (bytes {from} to {to - 1} of {size}); read them from {uri}?offset={from}&length={Math.Min(omitted, MaxResourceBytes)}, at most {MaxResourceBytes} bytes per read]\n");
        var tailBytes = payload.OmittedBytes > 0 ? tail[^shownTail..] : head[^shownTail..];
        return (Encoding.UTF8.GetString(head[..shownHead]) + marker + Encoding.UTF8.GetString(tailBytes), omitted);
    }

    /// <summary>The JSON-escaped size of the decoded text, stopping once it exceeds <paramref name="limit"/>.</summary>
    private static int Cost(ReadOnlySpan<byte> bytes, int limit)
    {
        var cost = 0;
        while (!bytes.IsEmpty && cost <= limit)
        {
            System.Text.Rune.DecodeFromUtf8(bytes, out var rune, out var consumed);
            cost += RuneCost(rune);
            bytes = bytes[consumed..];
        }

        return cost;
    }

    /// <summary>Bytes from the start whose text costs at most <paramref name="budget"/>, ending on a character boundary.</summary>
    private static int Prefix(ReadOnlySpan<byte> bytes, int budget)
    {
        var cost = 0;
        var taken = 0;
        while (taken < bytes.Length)
        {
            System.Text.Rune.DecodeFromUtf8(bytes[taken..], out var rune, out var consumed);
            if (cost + RuneCost(rune) > budget)
            {
                break;
            }

            cost += RuneCost(rune);
            taken += consumed;
        }

        return taken;
    }

    /// <summary>Bytes from the end whose text costs at most <paramref name="budget"/>, starting on a character boundary.</summary>
    private static int Suffix(ReadOnlySpan<byte> bytes, int budget)
    {
        var cost = 0;
        var taken = 0;
        while (taken < bytes.Length)
        {
            System.Text.Rune.DecodeLastFromUtf8(bytes[..^taken], out var rune, out var consumed);
            if (cost + RuneCost(rune) > budget)
            {
                break;
            }

            cost += RuneCost(rune);
            taken += consumed;
        }

        return taken;
    }

    private static int RuneCost(System.Text.Rune rune) =>
        rune.Value < 128 ? AsciiCost[rune.Value] : NonAsciiCost * rune.Utf16SequenceLength;

    /// <summary>What each ASCII character costs in the results' JSON (quotes, backslashes and control characters are escaped).</summary>
    private static int[] BuildAsciiCost()
    {
        var cost = new int[128];
        for (var c = 0; c < 128; c++)
        {
            cost[c] = JsonSerializer.Serialize(((char)c).ToString(), McpJson.Options).Length - 2;
        }

        return cost;
    }
}
