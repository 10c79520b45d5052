using System.Diagnostics;
using System.Text.Json;
using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// Closing the client of a stdio server (stdin EOF) while a run is in flight: the server must stop on its own, kill
/// the sandbox, detach its overlay and record the operation as ended, so a later start finds nothing to recover.
/// </summary>
public sealed class McpStdioShutdownTests
{
    /// <summary>Well under the transport's 20 s shutdown timeout, after which the client would kill the server.</summary>
    private static readonly TimeSpan PromptExit = TimeSpan.FromSeconds(10);

    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Shutdown_StdinClosedWithRunInFlight_ExitsPromptlyAndEndsOperation()
    {
        await using var server = new ServerInstance();
        var layout = OciImageWriter.WriteBusyboxLayout(server.Root);

        string inFlight;
        var first = await server.StartStdioAsync(Token);
        var import = await first.CallOkAsync("contree_import_image", new { registry_url = $"oci:{layout}:1", tag = "e2e/shutdown:1" });
        Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
        var started = await first.CallOkAsync("contree_run", new { command = "sleep 600", image = "tag:e2e/shutdown:1", wait = false, timeout = 600 });
        inFlight = started.GetProperty("operation_id").GetString()!;
        await WaitForStatusAsync(first, inFlight, "EXECUTING");

        var stopping = Stopwatch.StartNew();
        await first.DisposeAsync();
        stopping.Stop();
        var mountsAfterExit = server.MountsUnderRoot();

        await using var second = await server.StartStdioAsync(Token);
        var ended = await second.CallOkAsync("contree_get_operation", new { operation_id = inFlight });

        Assert.True(stopping.Elapsed < PromptExit, $"the server took {stopping.Elapsed.TotalSeconds:F1} s to exit after stdin closed\nserver stderr:\n{server.StandardError}");
        Assert.Empty(mountsAfterExit);
        Assert.Contains(ended.GetProperty("status").GetString(), (string[])["CANCELLED", "FAILED"]);
        Assert.DoesNotContain("restart", ended.GetProperty("error").GetString() ?? "", StringComparison.OrdinalIgnoreCase);
    }

    private static async Task<JsonElement> WaitForStatusAsync(McpSession session, string operationId, string status)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var op = await session.CallOkAsync("contree_get_operation", new { operation_id = operationId });
            if (op.GetProperty("status").GetString() == status)
            {
                return op;
            }

            // The run's start is observable only by asking.
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }
}
