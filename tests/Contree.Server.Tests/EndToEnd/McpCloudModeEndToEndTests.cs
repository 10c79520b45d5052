using System.Text.Json;
using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// The whole stack in cloud mode: an MCP client → <c>contree-mcp --backend cloud</c> (HTTP client, polling, no
/// completion notifications) → <c>contree-mcp api</c> (the /v1 API) → the local engine. Everything the MCP tools do
/// must work the same as on the embedded engine.
/// </summary>
public sealed class McpCloudModeEndToEndTests
{
    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task CloudBackend_AgainstServedEngine_ImportRunChainWaitAndCancel()
    {
        await using var api = new ServerInstance();
        var layout = OciImageWriter.WriteBusyboxLayout(api.Root);
        var (baseUrl, _) = await api.StartApiAsync(Token);
        await using var mcp = new ServerInstance("--backend", "cloud", "--url", baseUrl.ToString(), "--token", "e2e-cloud-token");
        var session = await mcp.StartStdioAsync(Token);

        var import = await session.CallOkAsync("contree_import_image", new { registry_url = $"oci:{layout}:1", tag = "e2e/cloud:1" });
        var first = await session.CallOkAsync("contree_run", new { command = "echo cloud > /root/f && echo ran", image = "tag:e2e/cloud:1", disposable = false });
        var child = first.GetProperty("result_image").GetString()!;
        var read = await session.CallOkAsync("contree_read_file", new { image = child, path = "/root/f" });
        var marker = SandboxProcesses.NewMarker();
        var slow = (await session.CallOkAsync("contree_run", new { command = $"sleep {marker}; echo 1", image = child, wait = false, timeout = 600 })).GetProperty("operation_id").GetString()!;
        var fast = (await session.CallOkAsync("contree_run", new { command = "cat /root/f", image = child, wait = false })).GetProperty("operation_id").GetString()!;
        var any = await session.CallOkAsync("contree_wait_operations", new { operation_ids = new[] { slow, fast }, mode = "any", timeout = 60 });
        var slowAfter = await session.CallOkAsync("contree_get_operation", new { operation_id = slow });
        var sleeper = (await session.CallOkAsync("contree_run", new { command = $"sleep {marker}; echo 2", image = child, wait = false, timeout = 600 })).GetProperty("operation_id").GetString()!;
        await SandboxProcesses.WaitForSleepAsync(marker, TimeSpan.FromSeconds(60), Token);
        var cancel = await session.CallOkAsync("contree_cancel_operation", new { operation_id = sleeper });
        var left = SandboxProcesses.With(marker);
        var sleeperAfter = await session.CallOkAsync("contree_get_operation", new { operation_id = sleeper });
        var lineage = JsonDocument.Parse(await session.ReadTextAsync($"contree://image/{child}/lineage")).RootElement;

        Assert.True(import.GetProperty("status").GetString() == "SUCCESS", $"import: {import}");
        Assert.Equal("ran\n", first.GetProperty("stdout").GetString());
        Assert.True(first.GetProperty("filesystem_changed").GetBoolean());
        Assert.Equal("cloud\n", read.GetProperty("content").GetString());
        Assert.Equal([fast], any.GetProperty("completed").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("cloud\n", any.GetProperty("results").GetProperty(fast).GetProperty("stdout").GetString());
        Assert.Equal([slow], any.GetProperty("cancelled").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal("CANCELLED", any.GetProperty("results").GetProperty(slow).GetProperty("status").GetString());
        Assert.Equal("CANCELLED", slowAfter.GetProperty("status").GetString());
        Assert.True(cancel.GetProperty("cancelled").GetBoolean(), $"cancel_operation: {cancel}");
        Assert.Equal("CANCELLED", cancel.GetProperty("status").GetString());
        Assert.Equal("CANCELLED", sleeperAfter.GetProperty("status").GetString());
        Assert.True(left.Count == 0, $"sandbox processes left after the cancels returned: {string.Join("; ", left)}");
        Assert.Equal(import.GetProperty("result_image").GetString(), lineage.GetProperty("parent").GetProperty("image").GetString());
        Assert.DoesNotContain("e2e-cloud-token", mcp.StandardError, StringComparison.Ordinal);
    }
}
