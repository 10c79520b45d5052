using System.Text.RegularExpressions;
using Contree.Core.Errors;
using Contree.Mcp.Tests.Harness;
using Contree.Tests.Common;
using ModelContextProtocol;

namespace Contree.Mcp.Tests.Errors;

/// <summary>
/// What the agent sees when a tool or resource fails: a message written for it, an "invalid arguments" message naming
/// the argument, or "internal error &lt;id&gt;" with the details in the server log under that id, never exception text.
/// </summary>
public sealed partial class ToolErrorTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [GeneratedRegex("^Error executing tool (?<tool>[a-z_]+): internal error (?<id>[0-9a-f]{8}) \\(the details are in the server log under this id\\)$")]
    private static partial Regex InternalToolError();

    [GeneratedRegex("^internal error (?<id>[0-9a-f]{8}) \\(the details are in the server log under this id\\)$")]
    private static partial Regex InternalErrorText();

    /// <summary>Asserts the internal-error form and that the log holds the id together with the exception; returns the id.</summary>
    private static string AssertInternal(Regex form, string text, CapturingLoggerProvider logs, string detail)
    {
        var match = form.Match(text);
        Assert.True(match.Success, $"not an internal error: {text}");
        var id = match.Groups["id"].Value;
        var line = Assert.Single(logs.Lines, l => l.Contains($"Internal error {id}", StringComparison.Ordinal));
        Assert.Contains(detail, line, StringComparison.Ordinal);
        Assert.DoesNotContain(detail, text, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        return id;
    }

    [Fact]
    public async Task UnexpectedException_FromBackend_IsInternalErrorWithIdInTheLog()
    {
        var logs = new CapturingLoggerProvider();
        await using var h = await McpHarness.StartAsync(logs: logs);
        h.Backend.RunHandler = _ => throw new InvalidOperationException("secret internals at /var/lib/contree-secret");

        var text = await h.CallErrorAsync("contree_run", new { command = "x", image = h.Backend.AddImage() });

        AssertInternal(InternalToolError(), text, logs, "secret internals at /var/lib/contree-secret");
        Assert.Contains("InvalidOperationException", logs.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("/var/lib", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InternalContreeException_ShowsOnlyItsId()
    {
        var logs = new CapturingLoggerProvider();
        await using var h = await McpHarness.StartAsync(logs: logs);
        var image = h.Backend.AddImage();
        h.Backend.FailNext(nameof(h.Backend.GetImageAsync), ContreeException.Internal("layer directory '/srv/contree/layers/0a1b' is missing"));

        var text = await h.CallErrorAsync("contree_get_image", new { image });

        AssertInternal(InternalToolError(), text, logs, "/srv/contree/layers/0a1b");
    }

    [Fact]
    public async Task AgentFacingContreeException_PassesThroughAndItsCauseIsLogged()
    {
        var logs = new CapturingLoggerProvider();
        await using var h = await McpHarness.StartAsync(logs: logs);
        var image = h.Backend.AddImage();
        h.Backend.FailNext(
            nameof(h.Backend.GetImageAsync),
            ContreeException.Unavailable("backend overloaded; retry in a minute", new IOException("socket detail /tmp/secret.sock")));

        var text = await h.CallErrorAsync("contree_get_image", new { image });

        Assert.Equal("Error executing tool contree_get_image: backend overloaded; retry in a minute", text);
        Assert.Contains(logs.Lines, l => l.StartsWith("Warning", StringComparison.Ordinal) && l.Contains("/tmp/secret.sock", StringComparison.Ordinal));
    }

    [Fact]
    public async Task DeepArgumentException_IsInternalNotInvalidArguments()
    {
        var logs = new CapturingLoggerProvider();
        await using var h = await McpHarness.StartAsync(logs: logs);
        h.Backend.RunHandler = _ => throw new ArgumentException("Value cannot be empty. (Parameter 'key')");

        var text = await h.CallErrorAsync("contree_run", new { command = "x", image = h.Backend.AddImage() });

        AssertInternal(InternalToolError(), text, logs, "Parameter 'key'");
        Assert.DoesNotContain("invalid arguments", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MissingRequiredArguments_AreNamedTogether()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_run", new { timeout = 5 });

        Assert.Equal(
            "Error executing tool contree_run: invalid arguments: 'command' and 'image' are required; the tool's input schema describes them",
            text);
    }

    [Fact]
    public async Task WrongTypeInsideAnObject_NamesThePathAndTheExpectedType()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_run", new { command = "x", image = h.Backend.AddImage(), env = new { A = 1 } });

        Assert.Equal("Error executing tool contree_run: invalid arguments: 'env.A' must be a string (or null), got 1", text);
        Assert.Empty(h.Backend.SpawnRequests);
    }

    [Fact]
    public async Task WrongTypeInsideAList_NamesTheIndex()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_wait_operations", new { operation_ids = new object[] { "a", 2 } });

        Assert.Equal("Error executing tool contree_wait_operations: invalid arguments: 'operation_ids[1]' must be a string, got 2", text);
    }

    [Fact]
    public async Task IntegerOutOfRange_NamesTheRange()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_run", new { command = "x", image = h.Backend.AddImage(), timeout = 3_000_000_000L });

        Assert.Equal(
            "Error executing tool contree_run: invalid arguments: 'timeout' must be an integer from -2147483648 to 2147483647, got 3000000000",
            text);
    }

    [Fact]
    public async Task LocalPathWithNul_IsInvalidArgumentNotInternal()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_upload", new { path = "/tmp/a\0b" });

        Assert.Equal("Error executing tool contree_upload: path must not contain NUL characters", text);
    }

    [Fact]
    public async Task Prompt_MissingRequiredArgument_NamesIt()
    {
        await using var h = await McpHarness.StartAsync();

        var error = await Assert.ThrowsAnyAsync<McpException>(() => h.Client.GetPromptAsync("run-python", new Dictionary<string, object?>(), cancellationToken: Ct).AsTask());

        Assert.EndsWith("invalid arguments: prompt run-python needs 'code'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resource_UnexpectedException_IsInternalErrorWithIdInTheLog()
    {
        var logs = new CapturingLoggerProvider();
        await using var h = await McpHarness.StartAsync(logs: logs);
        var image = h.Backend.AddImage();
        h.Backend.FailNext(nameof(h.Backend.DownloadFileAsync), new IOException("Input/output error : '/srv/contree/layers/77/etc/passwd'"));

        var error = await Assert.ThrowsAnyAsync<McpException>(() => h.Client.ReadResourceAsync($"contree://image/{image}/read/etc/passwd", cancellationToken: Ct).AsTask());

        var text = error.Message[(error.Message.IndexOf("internal error", StringComparison.Ordinal))..];
        AssertInternal(InternalErrorText(), text, logs, "/srv/contree/layers/77/etc/passwd");
    }

    [Fact]
    public async Task CorruptFileSyncCache_IsInternalErrorAndTheLogNamesTheFile()
    {
        var logs = new CapturingLoggerProvider();
        var source = Directory.CreateTempSubdirectory("contree-errors-src-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(source, "a.txt"), "a", Ct);
            await using var h = await McpHarness.StartAsync(logs: logs);
            var cache = Path.Combine(h.Directory, "files.db");
            await File.WriteAllBytesAsync(cache, [.. Enumerable.Repeat((byte)0x5A, 8192)], Ct);

            var text = await h.CallErrorAsync("contree_rsync", new { source, destination = "/app" });

            AssertInternal(InternalToolError(), text, logs, cache);
            Assert.DoesNotContain(h.Directory, text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(source, recursive: true);
        }
    }

    [Fact]
    public async Task CorruptGeneralCache_RunsStillSucceedAndLineageIsInternalError()
    {
        var logs = new CapturingLoggerProvider();
        await using var h = await McpHarness.StartAsync(logs: logs);
        await File.WriteAllBytesAsync(Path.Combine(h.Directory, "cache.db"), [.. Enumerable.Repeat((byte)0x5A, 8192)], Ct);
        var image = h.Backend.AddImage();

        // The general cache only remembers: a run does not depend on it.
        var result = await h.CallOkAsync("contree_run", new { command = "echo ok", image });
        var error = await Assert.ThrowsAnyAsync<McpException>(() => h.Client.ReadResourceAsync($"contree://image/{image}/lineage", cancellationToken: Ct).AsTask());

        Assert.Equal("SUCCESS", result.GetProperty("status").GetString());
        Assert.Contains(logs.Lines, l => l.Contains("General cache unavailable", StringComparison.Ordinal));
        AssertInternal(InternalErrorText(), error.Message[error.Message.IndexOf("internal error", StringComparison.Ordinal)..], logs, "file is not a database");
    }
}
