using System.Text.Json;
using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// End-to-end scenarios through the real <c>contree-mcp</c> executable over stdio with a real MCP client, on the local
/// engine: every call crosses JSON-RPC, the tool layer, the engine and bubblewrap sandboxes. Results are checked in
/// the flat shapes the tools document (snake_case: status, exit_code, stdout, result_image, …).
/// </summary>
public sealed partial class McpStdioEndToEndTests(StdioServerFixture fixture) : IClassFixture<StdioServerFixture>
{
    private const string SkipReason = HostRequirements.SandboxSkipReason + "; " + HostRequirements.RegistrySkipReason;

    public static bool CanRun => StdioServerFixture.CanRun;

    private McpSession Session => fixture.Session;

    private string BaseImage => fixture.BaseImage;

    /// <summary>contree_run with wait=true (the default) on the base image unless the arguments name one.</summary>
    private Task<JsonElement> RunAsync(object arguments) => Session.CallOkAsync("contree_run", arguments);

    /// <summary>Asserts a finished instance: SUCCESS (the sandbox ran) with the given exit code.</summary>
    private static JsonElement AssertRan(JsonElement run, int exitCode = 0)
    {
        Assert.True(run.GetProperty("status").GetString() == "SUCCESS", $"run did not succeed: {run}");
        Assert.Equal("instance", run.GetProperty("kind").GetString());
        Assert.True(run.GetProperty("exit_code").GetInt32() == exitCode, $"unexpected exit code: {run}");
        return run;
    }

    private static string Stdout(JsonElement run) => run.GetProperty("stdout").GetString()!;

    private static string? OptionalString(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task ImportImage_LoopbackRegistry_ImageTaggedListedAndRunnable()
    {
        var import = fixture.Import;

        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        Assert.Equal("image_import", import.GetProperty("kind").GetString());
        Assert.Equal(fixture.RegistryUrl, import.GetProperty("registry_url").GetString());
        Assert.Equal(fixture.BaseTag, import.GetProperty("result_tag").GetString());
        var listed = await Session.CallOkAsync("contree_list_images", new { tag_prefix = fixture.BaseTag });
        var image = Assert.Single(listed.GetProperty("images").EnumerateArray());
        Assert.Equal(BaseImage, image.GetProperty("uuid").GetString());
        Assert.Equal(fixture.BaseTag, image.GetProperty("tag").GetString());
        var byTag = await Session.CallOkAsync("contree_get_image", new { image = "tag:" + fixture.BaseTag });
        Assert.Equal(BaseImage, byTag.GetProperty("uuid").GetString());
        var run = AssertRan(await RunAsync(new { command = "echo $E2E; cat /etc/hostname", image = "tag:" + fixture.BaseTag }));
        Assert.Equal("from-image\nlinuxkit\n", Stdout(run));
        var importResource = await Session.ReadTextAsync($"contree://operations/import/{import.GetProperty("operation_id").GetString()}");
        Assert.Contains("STATE: SUCCESS", importResource, StringComparison.Ordinal);
        Assert.Contains($"RESULT_IMAGE: {BaseImage}", importResource, StringComparison.Ordinal);
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_ChainedNonDisposableRuns_ResultsTaggedReadListedAndTraced()
    {
        const string firstCommand = "mkdir -p /app && echo v1 > /app/state";
        var first = AssertRan(await RunAsync(new { command = firstCommand, image = BaseImage, disposable = false }));
        var child = first.GetProperty("result_image").GetString()!;
        Assert.True(first.GetProperty("filesystem_changed").GetBoolean());
        var second = AssertRan(await RunAsync(new { command = "cat /app/state && echo v2 >> /app/state", image = child, disposable = false }));
        var grandchild = second.GetProperty("result_image").GetString()!;
        var tag = $"e2e/chain:{Guid.NewGuid():N}";

        var tagged = await Session.CallOkAsync("contree_set_tag", new { image_uuid = grandchild, tag });
        var byTag = AssertRan(await RunAsync(new { command = "cat /app/state", image = "tag:" + tag }));
        var read = await Session.CallOkAsync("contree_read_file", new { image = "tag:" + tag, path = "/app/state" });
        var listing = await Session.CallOkAsync("contree_list_files", new { image = grandchild, path = "/app" });

        Assert.Equal("v1\n", Stdout(second));
        Assert.NotEqual(child, grandchild);
        Assert.Equal(grandchild, tagged.GetProperty("uuid").GetString());
        Assert.Equal(tag, tagged.GetProperty("tag").GetString());
        Assert.Equal("v1\nv2\n", Stdout(byTag));
        Assert.Equal("v1\nv2\n", read.GetProperty("content").GetString());
        Assert.Equal("utf-8", read.GetProperty("encoding").GetString());
        Assert.Equal(6, read.GetProperty("bytes_size").GetInt64());
        Assert.Equal("/app", listing.GetProperty("path").GetString());
        var entry = Assert.Single(listing.GetProperty("files").EnumerateArray());
        Assert.Equal(("state", "/app/state", "file", 6L), (entry.GetProperty("name").GetString(), entry.GetProperty("path").GetString(), entry.GetProperty("type").GetString(), entry.GetProperty("size").GetInt64()));

        Assert.Equal("v1\nv2\n", await Session.ReadTextAsync($"contree://image/{grandchild}/read/app/state"));
        Assert.Equal("v1\nv2\n", await Session.ReadTextAsync($"contree://image/tag:{Uri.EscapeDataString(tag)}/read/app/state"));
        Assert.Contains("state", await Session.ReadTextAsync($"contree://image/{grandchild}/ls/app"), StringComparison.Ordinal);
        var root = await Session.ReadTextAsync($"contree://image/{grandchild}/ls/.");
        Assert.Contains("app", root, StringComparison.Ordinal);
        Assert.Contains("etc", root, StringComparison.Ordinal);

        var lineage = JsonDocument.Parse(await Session.ReadTextAsync($"contree://image/{grandchild}/lineage")).RootElement;
        Assert.Equal(grandchild, lineage.GetProperty("image").GetString());
        Assert.True(lineage.GetProperty("is_known").GetBoolean());
        Assert.Equal(child, lineage.GetProperty("parent").GetProperty("image").GetString());
        Assert.Equal(firstCommand, lineage.GetProperty("parent").GetProperty("command").GetString());
        Assert.Equal([child, BaseImage], lineage.GetProperty("ancestors").EnumerateArray().Select(a => a.GetProperty("image").GetString()));
        Assert.Equal(2, lineage.GetProperty("depth").GetInt32());
        var lineageRoot = lineage.GetProperty("root");
        Assert.Equal(BaseImage, lineageRoot.GetProperty("image").GetString());
        Assert.Equal(fixture.RegistryUrl, lineageRoot.GetProperty("registry_url").GetString());
        Assert.True(lineageRoot.GetProperty("is_import").GetBoolean());
        var childLineage = JsonDocument.Parse(await Session.ReadTextAsync($"contree://image/{child}/lineage")).RootElement;
        Assert.Contains(childLineage.GetProperty("children").EnumerateArray(), c => c.GetProperty("image").GetString() == grandchild);
        var baseLineage = JsonDocument.Parse(await Session.ReadTextAsync($"contree://image/{BaseImage}/lineage")).RootElement;
        Assert.DoesNotContain(baseLineage.GetProperty("children").EnumerateArray(), c => c.GetProperty("image").GetString() == grandchild);
        var encoded = await Session.CallOkAsync("contree_get_image", new { image = "tag:" + Uri.EscapeDataString(tag) });
        Assert.Equal(grandchild, encoded.GetProperty("uuid").GetString());
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_NonDisposableWithoutChange_SameImageAndNoChange()
    {
        var run = AssertRan(await RunAsync(new { command = "cat /etc/passwd > /dev/null", image = BaseImage, disposable = false }));

        Assert.Equal(BaseImage, OptionalString(run, "result_image"));
        Assert.False(run.GetProperty("filesystem_changed").GetBoolean());
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_NonZeroExitCodes_ReportedAsResultsNotErrors()
    {
        var failing = AssertRan(await RunAsync(new { command = "echo to-stderr >&2; exit 3", image = BaseImage }), exitCode: 3);
        var missing = AssertRan(await RunAsync(new { command = "/no/such/program", image = BaseImage }), exitCode: 127);
        var direct = AssertRan(await RunAsync(new { command = "/bin/false", image = BaseImage, shell = false }), exitCode: 1);

        Assert.Equal("to-stderr\n", failing.GetProperty("stderr").GetString());
        Assert.Null(OptionalString(failing, "error"));
        Assert.Contains("not found", missing.GetProperty("stderr").GetString(), StringComparison.Ordinal);
        Assert.Equal("", Stdout(direct));
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_BadArguments_ToolErrorsNamingTheProblem()
    {
        var relative = await Session.CallErrorAsync("contree_run", new { command = "pwd", image = BaseImage, cwd = "relative" });
        var unknownTag = await Session.CallErrorAsync("contree_run", new { command = "true", image = "tag:e2e/no-such-tag:" + Guid.NewGuid().ToString("N") });
        var badImage = await Session.CallErrorAsync("contree_run", new { command = "true", image = "busybox" });

        Assert.Contains("cwd", relative, StringComparison.Ordinal);
        Assert.Contains("relative", relative, StringComparison.Ordinal);
        Assert.Contains("not found", unknownTag, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("busybox", badImage, StringComparison.Ordinal);
    }
}
