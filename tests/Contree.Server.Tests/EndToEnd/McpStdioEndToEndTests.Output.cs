using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ModelContextProtocol;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>Long output: a bounded result with head, marker and tail, and every kept byte readable through the output resource.</summary>
public sealed partial class McpStdioEndToEndTests
{
    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_LongOutput_HeadAndTailAroundMarkerAndResourceReturnsEveryPrintedByte()
    {
        var printed = Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 2_000_000).Select(static i => i.ToString(CultureInfo.InvariantCulture) + "\n")));

        var call = await Session.CallAsync(
            "contree_run", new { command = "seq 1 2000000", image = BaseImage, truncate_output_at = 67108864, timeout = 120 }, TestContext.Current.CancellationToken);
        Assert.True(call.IsError is not true, McpSession.Text(call));
        var responseBytes = JsonSerializer.SerializeToUtf8Bytes(call, McpJsonUtilities.DefaultOptions).Length;
        var run = AssertRan(JsonSerializer.SerializeToElement(call.StructuredContent));

        // 1 MiB of text per stream, written twice (structured content and its text copy), with escapes.
        Assert.InRange(responseBytes, 1, 6 * 1024 * 1024);
        var id = run.GetProperty("operation_id").GetString()!;
        var stdout = Stdout(run);
        Assert.Equal(printed.Length, run.GetProperty("stdout_bytes").GetInt64());
        Assert.False(run.GetProperty("stdout_truncated").GetBoolean());
        var uri = $"contree://operations/instance/{id}/stdout";
        Assert.Equal(uri, run.GetProperty("stdout_resource").GetString());
        var marker = MarkerPattern().Match(stdout);
        Assert.True(marker.Success, "one marker line names what was left out");
        var omitted = long.Parse(marker.Groups["omitted"].Value, CultureInfo.InvariantCulture);
        var from = long.Parse(marker.Groups["from"].Value, CultureInfo.InvariantCulture);
        Assert.Equal(omitted, run.GetProperty("stdout_omitted_bytes").GetInt64());
        Assert.Equal(uri, marker.Groups["uri"].Value);
        var head = stdout[..marker.Index];
        var tail = stdout[(marker.Index + marker.Length)..];
        Assert.Equal(from, head.Length);
        Assert.Equal(Encoding.ASCII.GetString(printed, 0, head.Length), head);
        Assert.Equal(Encoding.ASCII.GetString(printed, printed.Length - tail.Length, tail.Length), tail);
        Assert.Equal(printed.Length, head.Length + omitted + tail.Length);
        Assert.EndsWith("1999999\n2000000\n", tail, StringComparison.Ordinal);

        var whole = new StringBuilder();
        while (whole.Length < printed.Length)
        {
            whole.Append(await Session.ReadTextAsync($"{uri}?offset={whole.Length}&length=1048576"));
        }

        Assert.Equal(Encoding.ASCII.GetString(printed), whole.ToString());
        var omittedPart = await Session.ReadTextAsync($"{uri}?offset={from}&length=100");
        Assert.Equal(Encoding.ASCII.GetString(printed, (int)from, 100), omittedPart);
        Assert.Equal("", await Session.ReadTextAsync($"{uri}?offset={printed.Length}"));
        var tooLong = await Assert.ThrowsAnyAsync<McpException>(
            () => Session.Client.ReadResourceAsync($"{uri}?length=1048577", cancellationToken: TestContext.Current.CancellationToken).AsTask());
        Assert.Contains("length must be between 0 and 1048576", tooLong.Message, StringComparison.Ordinal);
    }

    [GeneratedRegex(@"\n\[contree: (?<omitted>\d+) bytes of stdout omitted here \(bytes (?<from>\d+) to \d+ of \d+\); read them from (?<uri>\S+)\?offset=\d+&length=\d+, at most 1048576 bytes per read\]\n")]
    private static partial Regex MarkerPattern();
}
