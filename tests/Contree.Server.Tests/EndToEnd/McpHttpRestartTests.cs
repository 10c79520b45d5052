using System.Text.Json;
using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// The real executable in <c>--mode http</c> with a Streamable HTTP MCP client, killed (SIGKILL) while a run is in
/// flight and started again on the same data directory: recovery must fail the interrupted operation, detach its
/// overlay and leave the engine usable.
/// </summary>
public sealed class McpHttpRestartTests
{
    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Restart_ServerKilledWithRunInFlight_OperationFailedMountsGoneNewRunsWork()
    {
        await using var server = new ServerInstance("--engine-max-concurrent-runs", "1");
        var layout = OciImageWriter.WriteBusyboxLayout(server.Root);
        const string tag = "e2e/restart:1";

        string inFlight;
        string queued;
        long stateId;
        var project = Path.Combine(server.Root, "project");
        Directory.CreateDirectory(project);
        await File.WriteAllTextAsync(Path.Combine(project, "note.txt"), "synced before the crash\n", Token);
        IReadOnlyList<string> mountsWhileKilled;
        IReadOnlyList<int> processesBeforeKill;
        var (first, process) = await server.StartHttpAsync(Token);
        await using (first)
        {
            var import = await first.CallOkAsync("contree_import_image", new { registry_url = $"oci:{layout}:1", tag });
            Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
            stateId = (await first.CallOkAsync("contree_rsync", new { source = project, destination = "/project" })).GetProperty("directory_state_id").GetInt64();
            var warm = await first.CallOkAsync("contree_run", new { command = "echo over-http", image = "tag:" + tag });
            Assert.Equal("over-http\n", warm.GetProperty("stdout").GetString());
            var started = await first.CallOkAsync("contree_run", new { command = "sleep 600", image = "tag:" + tag, wait = false, timeout = 600 });
            inFlight = started.GetProperty("operation_id").GetString()!;
            await WaitForStatusAsync(first, inFlight, "EXECUTING");
            var second = await first.CallOkAsync("contree_run", new { command = "echo queued", image = "tag:" + tag, wait = false });
            queued = second.GetProperty("operation_id").GetString()!;
            Assert.Equal("PENDING", (await first.CallOkAsync("contree_get_operation", new { operation_id = queued })).GetProperty("status").GetString());
            await WaitForSandboxAsync(server, inFlight);
            processesBeforeKill = ProcessesInRunCgroup(inFlight);

            process.Kill();
            await process.WaitForExitAsync(Token);
            mountsWhileKilled = server.MountsUnderRoot();
        }

        var (restarted, _) = await server.StartHttpAsync(Token);
        await using (restarted)
        {
            var interrupted = await restarted.CallOkAsync("contree_get_operation", new { operation_id = inFlight });
            var neverStarted = await restarted.CallOkAsync("contree_get_operation", new { operation_id = queued });
            var mountsAfterRestart = server.MountsUnderRoot();
            var processesAfterRestart = ProcessesInRunCgroup(inFlight);
            var after = await restarted.CallOkAsync(
                "contree_run", new { command = "cat /project/note.txt > /root/copy && echo after-restart", image = "tag:" + tag, disposable = false, directory_state_id = stateId });
            var lineage = JsonDocument.Parse(await restarted.ReadTextAsync($"contree://image/{after.GetProperty("result_image").GetString()}/lineage")).RootElement;
            var failed = await restarted.CallOkAsync("contree_list_operations", new { status = "FAILED" });

            Assert.NotEmpty(mountsWhileKilled);
            Assert.Equal("FAILED", interrupted.GetProperty("status").GetString());
            Assert.Contains("restart", interrupted.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.Equal("FAILED", neverStarted.GetProperty("status").GetString());
            Assert.Contains("restart", neverStarted.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
            Assert.Empty(mountsAfterRestart);
            Assert.NotEmpty(processesBeforeKill);
            Assert.Empty(processesAfterRestart);
            Assert.Equal("SUCCESS", after.GetProperty("status").GetString());
            Assert.Equal("after-restart\n", after.GetProperty("stdout").GetString());
            Assert.True(after.GetProperty("filesystem_changed").GetBoolean());
            Assert.Equal($"oci:{layout}:1", lineage.GetProperty("root").GetProperty("registry_url").GetString());
            Assert.Contains(failed.GetProperty("operations").EnumerateArray(), o => o.GetProperty("operation_id").GetString() == inFlight);
            Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(server.DataDirectory, "runs")));
        }
    }

    /// <summary>Processes whose cgroup is the run's (the engine names run cgroups after the operation id).</summary>
    private static List<int> ProcessesInRunCgroup(string operationId)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), out var pid))
            {
                continue;
            }

            try
            {
                if (File.ReadAllText(Path.Combine(directory, "cgroup")).Contains(operationId, StringComparison.Ordinal))
                {
                    found.Add(pid);
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // The process exited while the list was read.
            }
        }

        return found;
    }

    /// <summary>
    /// EXECUTING is set before the sandbox's overlay is mounted and its processes join the run's cgroup; the kill must
    /// hit a run that has both.
    /// </summary>
    private static async Task WaitForSandboxAsync(ServerInstance server, string operationId)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(TimeSpan.FromSeconds(30));
        while (server.MountsUnderRoot().Count == 0 || ProcessesInRunCgroup(operationId).Count == 0)
        {
            // The mount table has no change notification that a test could wait on.
            await Task.Delay(TimeSpan.FromMilliseconds(20), deadline.Token);
        }
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
