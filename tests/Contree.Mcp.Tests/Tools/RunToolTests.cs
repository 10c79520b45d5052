using System.Text.Json;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Mcp.Tests.Harness;
using Contree.Tests.Common;

namespace Contree.Mcp.Tests.Tools;

public sealed class RunToolTests
{
    [Fact]
    public async Task Run_Echo_ReturnsFlatInstanceShape()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage("alpine:latest");

        var result = await h.CallOkAsync("contree_run", new { command = "echo hello", image });

        Assert.Equal("SUCCESS", result.GetProperty("status").GetString());
        Assert.Equal("instance", result.GetProperty("kind").GetString());
        Assert.Equal(0, result.GetProperty("exit_code").GetInt32());
        Assert.Equal("echo hello", result.GetProperty("stdout").GetString());
        Assert.False(result.GetProperty("timed_out").GetBoolean());
        Assert.False(result.GetProperty("filesystem_changed").GetBoolean());
        Assert.True(result.TryGetProperty("resources", out var resources));
        Assert.Equal(0.002, resources.GetProperty("user_cpu_s").GetDouble());
        Assert.False(result.TryGetProperty("error", out _));
        var request = Assert.Single(h.Backend.SpawnRequests);
        Assert.Equal(image, request.Image);
        Assert.True(request.Shell);
        Assert.True(request.Disposable);
        Assert.Equal(30, request.Timeout);
        Assert.Equal("/root", request.Cwd);
        Assert.Equal(8000, request.TruncateOutputAt);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("internet", true)]
    [InlineData("none", false)]
    [InlineData(" None ", false)]
    public async Task Run_Network_SentAsNetworkingOrLeftToTheServer(string? network, bool? enabled)
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();

        await h.CallOkAsync("contree_run", new { command = "true", image, network });

        Assert.Equal(enabled, Assert.Single(h.Backend.SpawnRequests).Networking?.Enabled);
        var shown = (await h.CallOkAsync("contree_run", new { command = "true", image, network })).TryGetProperty("network", out var value) ? value.GetString() : null;
        Assert.Equal(enabled switch { true => "internet", false => "none", null => null }, shown);
    }

    [Fact]
    public async Task Run_UnknownNetwork_IsRefusedNamingTheChoices()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();

        var error = await h.CallErrorAsync("contree_run", new { command = "true", image, network = "host" });

        Assert.Contains("network must be 'internet' or 'none', got: 'host'", error, StringComparison.Ordinal);
        Assert.Empty(h.Backend.SpawnRequests);
    }

    [Fact]
    public async Task Run_AllowedHosts_SentCanonicalWithTheNetworkAndShownInTheResult()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();

        var result = await h.CallOkAsync("contree_run", new { command = "true", image, allowed_hosts = new[] { "PyPI.org", "*.pythonhosted.org" } });

        var networking = Assert.Single(h.Backend.SpawnRequests).Networking;
        Assert.True(networking?.Enabled);
        Assert.Equal(["pypi.org", "*.pythonhosted.org"], networking?.AllowedHosts);
        Assert.Equal(["pypi.org", "*.pythonhosted.org"], result.GetProperty("allowed_hosts").EnumerateArray().Select(e => e.GetString()));
    }

    [Theory]
    [InlineData("none", "pypi.org", "allowed_hosts needs a network")]
    [InlineData(null, "http://pypi.org", "is not a host name")]
    [InlineData("internet", "10.0.0.1", "not addresses")]
    public async Task Run_AllowedHostsThatCannotHold_AreRefusedBeforeAnythingRuns(string? network, string entry, string message)
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();

        var error = await h.CallErrorAsync("contree_run", new { command = "true", image, network, allowed_hosts = new[] { entry } });

        Assert.Contains(message, error, StringComparison.Ordinal);
        Assert.Empty(h.Backend.SpawnRequests);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(6)]
    public async Task Run_RefusedByAllowedHosts_GetsAHintNamingTheList(int exitCode)
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        h.Backend.RunHandler = _ => new FakeRunOutcome
        {
            ExitCode = exitCode,
            Stderr = "curl: (6) Could not resolve host: other.test\ncontree: this run may reach only its allowed_hosts (files.test); refused: other.test\n",
        };

        var result = await h.CallOkAsync("contree_run", new { command = "curl other.test", image, allowed_hosts = new[] { "files.test" } });

        Assert.Contains("could reach only its allowed_hosts (files.test)", result.GetProperty("hint").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("none", "pip: ERROR: Could not find a version ... (Temporary failure in name resolution)", "had no network")]
    [InlineData("none", "wget: bad address 'pypi.org'", "had no network")]
    [InlineData("internet", "curl: (7) Failed to connect to 10.0.0.5 port 80: No route to host", "refused")]
    [InlineData("internet", "Temporary failure in name resolution", null)]
    [InlineData("none", "segmentation fault", null)]
    public async Task Run_FailureThatLooksLikeTheNetwork_GetsAHint(string network, string stderr, string? hint)
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        h.Backend.RunHandler = _ => new FakeRunOutcome { ExitCode = 1, Stderr = stderr };

        var result = await h.CallOkAsync("contree_run", new { command = "pip install six", image, network });

        if (hint is null)
        {
            Assert.False(result.TryGetProperty("hint", out _));
        }
        else
        {
            Assert.Contains(hint, result.GetProperty("hint").GetString(), StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Run_TagReferencePercentEncoded_ResolvesImage()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage("common/python");

        await h.CallOkAsync("contree_run", new { command = "true", image = "tag:common%2Fpython" });

        Assert.Equal(image, Assert.Single(h.Backend.SpawnRequests).Image);
    }

    [Fact]
    public async Task Run_NotDisposableWithChanges_ReturnsNewImageAndRecordsLineage()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        h.Backend.RunHandler = _ => new FakeRunOutcome { Stdout = "ok", WriteFiles = new Dictionary<string, string> { ["/opt/x"] = "1" } };

        var result = await h.CallOkAsync("contree_run", new { command = "apt-get install -y python", image, disposable = false });

        var resultImage = result.GetProperty("result_image").GetString()!;
        Assert.NotEqual(image, resultImage);
        Assert.True(result.GetProperty("filesystem_changed").GetBoolean());
        var lineage = await ReadLineageAsync(h, resultImage);
        Assert.Equal(image, lineage.GetProperty("parent").GetProperty("image").GetString());
        Assert.Equal(1, lineage.GetProperty("depth").GetInt32());
        Assert.True(lineage.GetProperty("is_known").GetBoolean());
    }

    [Fact]
    public async Task Run_WaitFalse_ReturnsOnlyOperationId()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        h.Backend.RunHandler = _ => new FakeRunOutcome { Hold = true };

        var result = await h.CallOkAsync("contree_run", new { command = "sleep 100", image, wait = false });

        var property = Assert.Single(result.EnumerateObject());
        Assert.Equal("operation_id", property.Name);
        Assert.Equal(OperationStatus.Executing, h.Backend.StatusOf(property.Value.GetString()!));
    }

    [Fact]
    public async Task Run_InvalidUtf8Output_IsDecodedWithReplacement()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        h.Backend.RunHandler = _ => new FakeRunOutcome { StdoutBytes = [0x61, 0xFF, 0x62] };

        var result = await h.CallOkAsync("contree_run", new { command = "x", image });

        Assert.Equal("a\uFFFDb", result.GetProperty("stdout").GetString());
    }

    [Fact]
    public async Task Run_OutputOverLimit_IsMarkedTruncated()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        h.Backend.RunHandler = _ => new FakeRunOutcome { Stdout = new string('x', 100) };

        var result = await h.CallOkAsync("contree_run", new { command = "x", image, truncate_output_at = 10 });

        Assert.Equal(10, result.GetProperty("stdout").GetString()!.Length);
        Assert.True(result.GetProperty("stdout_truncated").GetBoolean());
    }

    [Fact]
    public async Task Run_FailedOperation_ReturnsErrorField()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        h.Backend.RunHandler = _ => new FakeRunOutcome { Error = "sandbox crashed" };

        var result = await h.CallOkAsync("contree_run", new { command = "x", image });

        Assert.Equal("FAILED", result.GetProperty("status").GetString());
        Assert.Equal("sandbox crashed", result.GetProperty("error").GetString());
    }

    [Theory]
    [InlineData("{\"command\":\"x\",\"timeout\":0}", "timeout must be a positive number of seconds, got: 0")]
    [InlineData("{\"command\":\"x\",\"cwd\":\"tmp\"}", "cwd must be an absolute path, got: tmp")]
    [InlineData("{\"command\":\"x\",\"args\":[\"a\"]}", "args is used only with shell=false")]
    [InlineData("{\"command\":\"x\",\"directory_state_id\":4242}", "Directory state not found: 4242")]
    [InlineData("{\"command\":\"x\",\"files\":{\"relative\":\"u\"}}", "files keys must be absolute container paths, got: relative")]
    public async Task Run_InvalidArgument_ReturnsNamedError(string argumentsJson, string expected)
    {
        await using var h = await McpHarness.StartAsync();
        var arguments = JsonSerializer.Deserialize<Dictionary<string, object?>>(argumentsJson)!;
        arguments["image"] = h.Backend.AddImage();

        var text = await h.CallErrorAsync("contree_run", arguments);

        Assert.StartsWith("Error executing tool contree_run: ", text, StringComparison.Ordinal);
        Assert.Contains(expected, text, StringComparison.Ordinal);
        Assert.Empty(h.Backend.SpawnRequests);
    }

    [Fact]
    public async Task Run_InvalidImageReference_ReturnsError()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_run", new { command = "x", image = "not-a-uuid" });

        Assert.Equal("Error executing tool contree_run: Invalid image reference: 'not-a-uuid'. Use an image UUID or 'tag:<name>' (for example 'tag:alpine:latest').", text);
    }

    [Fact]
    public async Task Run_UnknownTag_ReturnsNotFound()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_run", new { command = "x", image = "tag:nope" });

        Assert.Equal("Error executing tool contree_run: Image not found: tag 'nope'", text);
    }

    [Fact]
    public async Task Run_MissingCommand_ReportsInvalidArguments()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_run", new { image = h.Backend.AddImage() });

        Assert.StartsWith("Error executing tool contree_run: invalid arguments: ", text, StringComparison.Ordinal);
        Assert.Contains("command", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_StringNumbersAndBooleans_AreCoerced()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();

        await h.CallOkAsync("contree_run", new { command = "x", image, timeout = "5", disposable = "false", env = "{\"A\":\"1\"}" });

        var request = Assert.Single(h.Backend.SpawnRequests);
        Assert.Equal(5, request.Timeout);
        Assert.False(request.Disposable);
        Assert.Equal("1", request.Env["A"]);
    }

    [Fact]
    public async Task Run_WrongType_ReportsInvalidArguments()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_run", new { command = "x", image = h.Backend.AddImage(), timeout = "abc" });

        Assert.Equal("Error executing tool contree_run: invalid arguments: 'timeout' must be an integer, got \"abc\"", text);
    }

    [Fact]
    public async Task Run_BackendUnavailable_ReturnsItsMessage()
    {
        await using var h = await McpHarness.StartAsync();
        h.Backend.FailNext(nameof(h.Backend.SpawnInstanceAsync), ContreeException.Unavailable("backend overloaded"));

        var text = await h.CallErrorAsync("contree_run", new { command = "x", image = h.Backend.AddImage() });

        Assert.Equal("Error executing tool contree_run: backend overloaded", text);
    }

    [Fact]
    public async Task Run_UploadedFilesAndStdin_AreSent()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        var file = h.Backend.StoreFile("data"u8.ToArray());

        await h.CallOkAsync("contree_run", new { command = "cat", image, stdin = "input", files = new Dictionary<string, string> { ["/app/a"] = file.Uuid, ["/app/b"] = file.Uuid } });

        var request = Assert.Single(h.Backend.SpawnRequests);
        Assert.Equal("input", request.Stdin.ToText());
        Assert.Equal(file.Uuid, request.Files["/app/a"].Uuid);
        Assert.Equal(file.Uuid, request.Files["/app/b"].Uuid);
    }

    internal static async Task<JsonElement> ReadLineageAsync(McpHarness h, string image)
    {
        var read = await h.Client.ReadResourceAsync($"contree://image/{image}/lineage", cancellationToken: TestContext.Current.CancellationToken);
        var text = Assert.IsType<ModelContextProtocol.Protocol.TextResourceContents>(Assert.Single(read.Contents));
        Assert.Equal("application/json", text.MimeType);
        return JsonDocument.Parse(text.Text).RootElement;
    }
}
