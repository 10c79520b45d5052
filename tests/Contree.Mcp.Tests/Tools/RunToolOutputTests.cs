using System.Globalization;
using System.Text;
using System.Text.Json;
using Contree.Mcp.Tests.Harness;
using Contree.Tests.Common;
using ModelContextProtocol;
using ModelContextProtocol.Protocol;

namespace Contree.Mcp.Tests.Tools;

/// <summary>
/// Results carry at most 1 MiB of output text per stream (counted as written in the JSON), long output as head, one
/// marker line and tail, and the output resources return every kept byte by range.
/// </summary>
public sealed class RunToolOutputTests
{
    private const long Keep = 64L * 1024 * 1024;

    private static readonly byte[] Seq =
        Encoding.ASCII.GetBytes(string.Concat(Enumerable.Range(1, 500_000).Select(static i => i.ToString(CultureInfo.InvariantCulture) + "\n")));

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static int ResponseBytes(CallToolResult result) => JsonSerializer.SerializeToUtf8Bytes(result, McpJsonUtilities.DefaultOptions).Length;

    private static async Task<(McpHarness Harness, string Image)> StartAsync(FakeRunOutcome outcome)
    {
        var h = await McpHarness.StartAsync();
        h.Backend.RunHandler = _ => outcome;
        return (h, h.Backend.AddImage());
    }

    [Fact]
    public async Task Run_ShortOutput_WholeTextAndSizesWithoutResource()
    {
        var (h, image) = await StartAsync(new FakeRunOutcome { Stdout = "hello\n", Stderr = "warn\n" });
        await using var session = h;

        var result = await h.CallOkAsync("contree_run", new { command = "x", image });

        Assert.Equal("hello\n", result.GetProperty("stdout").GetString());
        Assert.Equal(6, result.GetProperty("stdout_bytes").GetInt64());
        Assert.Equal(5, result.GetProperty("stderr_bytes").GetInt64());
        Assert.False(result.TryGetProperty("stdout_omitted_bytes", out _));
        Assert.False(result.TryGetProperty("stdout_resource", out _));
    }

    [Fact]
    public async Task Run_LongOutput_HeadMarkerTailAndResourceRangesAreExact()
    {
        var (h, image) = await StartAsync(new FakeRunOutcome { StdoutBytes = Seq });
        await using var session = h;

        var call = await h.CallAsync("contree_run", new { command = "seq", image, truncate_output_at = Keep });
        var result = await h.CallOkAsync("contree_get_operation", new { operation_id = JsonSerializer.SerializeToElement(call.StructuredContent).GetProperty("operation_id").GetString() });

        var id = result.GetProperty("operation_id").GetString()!;
        var stdout = result.GetProperty("stdout").GetString()!;
        var omitted = result.GetProperty("stdout_omitted_bytes").GetInt64();
        var markerStart = stdout.IndexOf("\n[contree: ", StringComparison.Ordinal);
        var markerEnd = stdout.IndexOf("per read]\n", markerStart, StringComparison.Ordinal) + "per read]\n".Length;
        var head = stdout[..markerStart];
        var tail = stdout[markerEnd..];
        Assert.Equal(Seq.Length, result.GetProperty("stdout_bytes").GetInt64());
        Assert.Equal(Seq.Length, head.Length + omitted + tail.Length);
        Assert.Equal(Encoding.ASCII.GetString(Seq, 0, head.Length), head);
        Assert.Equal(Encoding.ASCII.GetString(Seq, Seq.Length - tail.Length, tail.Length), tail);
        Assert.EndsWith("499999\n500000\n", tail, StringComparison.Ordinal);
        Assert.Contains(
            $"{omitted} bytes of stdout omitted here (bytes {head.Length} to {head.Length + omitted - 1} of {Seq.Length}); read them from contree://operations/instance/{id}/stdout?offset={head.Length}&length={Math.Min(omitted, 1048576)}",
            stdout[markerStart..markerEnd],
            StringComparison.Ordinal);
        Assert.Equal($"contree://operations/instance/{id}/stdout", result.GetProperty("stdout_resource").GetString());
        Assert.InRange(ResponseBytes(call), 1, 6 * 1024 * 1024);

        var range = await ReadAsync(h, $"contree://operations/instance/{id}/stdout?offset={head.Length}&length=1000");
        Assert.Equal(Encoding.ASCII.GetString(Seq, head.Length, 1000), Assert.IsType<TextResourceContents>(range).Text);
        var whole = new StringBuilder();
        while (whole.Length < Seq.Length)
        {
            whole.Append(Assert.IsType<TextResourceContents>(await ReadAsync(h, $"contree://operations/instance/{id}/stdout?offset={whole.Length}")).Text);
        }

        Assert.Equal(Encoding.ASCII.GetString(Seq), whole.ToString());
    }

    [Fact]
    public async Task Run_ControlCharacterFlood_ResponseStaysBoundedBecauseEscapesCount()
    {
        // \u0001 takes 6 bytes in JSON (12 in the text copy): 2 MiB of it must not become a 36 MiB message.
        var (h, image) = await StartAsync(new FakeRunOutcome { StdoutBytes = [.. Enumerable.Repeat((byte)1, 2 * 1024 * 1024)], Stderr = new string('"', 3_000_000) });
        await using var session = h;

        var call = await h.CallAsync("contree_run", new { command = "x", image, truncate_output_at = Keep });

        Assert.True(call.IsError is not true, McpHarness.Text(call));
        Assert.InRange(ResponseBytes(call), 1, 7 * 1024 * 1024);
        var result = JsonSerializer.SerializeToElement(call.StructuredContent);
        Assert.Equal(2 * 1024 * 1024, result.GetProperty("stdout_bytes").GetInt64());
        Assert.InRange(result.GetProperty("stdout_omitted_bytes").GetInt64(), 2 * 1024 * 1024 - 200_000, 2 * 1024 * 1024 - 100_000);
        Assert.Equal(3_000_000, result.GetProperty("stderr_bytes").GetInt64());
    }

    [Fact]
    public async Task WaitOperations_ManyLongOutputs_ShareOneBudget()
    {
        var (h, image) = await StartAsync(new FakeRunOutcome { StdoutBytes = Seq, Stderr = Encoding.ASCII.GetString(Seq) });
        await using var session = h;
        var ids = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            var started = await h.CallOkAsync("contree_run", new { command = "seq", image, truncate_output_at = Keep, wait = false });
            ids.Add(started.GetProperty("operation_id").GetString()!);
        }

        var call = await h.CallAsync("contree_wait_operations", new { operation_ids = ids });

        Assert.True(call.IsError is not true, McpHarness.Text(call));
        Assert.InRange(ResponseBytes(call), 1, 6 * 1024 * 1024);
        var results = JsonSerializer.SerializeToElement(call.StructuredContent).GetProperty("results");
        foreach (var id in ids)
        {
            var stdout = results.GetProperty(id).GetProperty("stdout").GetString()!;
            Assert.InRange(stdout.Length, 100_000, 1024 * 1024 / 8 + 400);
            Assert.Contains("bytes of stdout omitted here", stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OutputResource_BinaryBadLengthAndImport_BlobOrClearErrors()
    {
        var (h, image) = await StartAsync(new FakeRunOutcome { StdoutBytes = [0xff, 0x00, 0x41] });
        await using var session = h;
        var run = await h.CallOkAsync("contree_run", new { command = "x", image, truncate_output_at = Keep });
        var id = run.GetProperty("operation_id").GetString()!;
        var import = await h.CallOkAsync("contree_import_image", new { registry_url = "docker://example.com/x:1", i_accept_that_anonymous_access_might_be_rate_limited = true });

        var blob = Assert.IsType<BlobResourceContents>(await ReadAsync(h, $"contree://operations/instance/{id}/stdout"));
        var tooLong = await Assert.ThrowsAnyAsync<McpException>(() => ReadAsync(h, $"contree://operations/instance/{id}/stdout?length=2000000"));
        var notRun = await Assert.ThrowsAnyAsync<McpException>(
            () => ReadAsync(h, $"contree://operations/instance/{import.GetProperty("operation_id").GetString()}/stderr"));

        Assert.Equal(new byte[] { 0xff, 0x00, 0x41 }, blob.DecodedData.ToArray());
        Assert.Contains("length must be between 0 and 1048576", tooLong.Message, StringComparison.Ordinal);
        Assert.Contains("only instance operations", notRun.Message, StringComparison.Ordinal);
    }

    private static async Task<ResourceContents> ReadAsync(McpHarness h, string uri) =>
        Assert.Single((await h.Client.ReadResourceAsync(uri, cancellationToken: Ct)).Contents);
}
