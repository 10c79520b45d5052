using Contree.Mcp.Sync;
using Contree.Mcp.Tests.Harness;

namespace Contree.Mcp.Tests.Tools;

public sealed class RunToolStateTests
{
    [Fact]
    public async Task Run_DirectoryState_PlacesSyncedFilesWithTheirModes()
    {
        await using var h = await McpHarness.StartAsync();
        var image = h.Backend.AddImage();
        var script = h.Backend.StoreFile("echo hi"u8.ToArray());
        var data = h.Backend.StoreFile("1,2"u8.ToArray());
        var id = h.Get<FileSyncCache>().SaveState(
            Guid.NewGuid().ToString("D"),
            "/app",
            [new SyncedFile("run.sh", new LocalFileState(7, 1, 0x1ED), "a", script.Uuid), new SyncedFile("data/x.csv", new LocalFileState(3, 1, 0x1A4), "b", data.Uuid)],
            DateTimeOffset.UtcNow);

        await h.CallOkAsync("contree_run", new { command = "sh /app/run.sh", image, directory_state_id = id, files = new Dictionary<string, string> { ["/app/extra"] = data.Uuid } });

        var request = Assert.Single(h.Backend.SpawnRequests);
        Assert.Equal(script.Uuid, request.Files["/app/run.sh"].Uuid);
        Assert.Equal(0x1ED, request.Files["/app/run.sh"].ParseMode());
        Assert.Equal(0x1A4, request.Files["/app/data/x.csv"].ParseMode());
        Assert.Equal(data.Uuid, request.Files["/app/extra"].Uuid);
    }

    [Fact]
    public async Task Run_EmptyDirectoryState_IsRejected()
    {
        await using var h = await McpHarness.StartAsync();
        var id = h.Get<FileSyncCache>().SaveState(Guid.NewGuid().ToString("D"), "/app", [], DateTimeOffset.UtcNow);

        var text = await h.CallErrorAsync("contree_run", new { command = "x", image = h.Backend.AddImage(), directory_state_id = id });

        Assert.Equal($"Error executing tool contree_run: Directory state has no files: {id}", text);
    }

    [Fact]
    public async Task Run_PollingBackend_CompletesThroughPolling()
    {
        await using var h = await McpHarness.StartAsync(pollingOnly: true);
        h.Backend.ReadsBeforeCompletion = 3;

        var result = await h.CallOkAsync("contree_run", new { command = "echo polled", image = h.Backend.AddImage() });

        Assert.Equal("echo polled", result.GetProperty("stdout").GetString());
        Assert.Equal(0, h.Backend.CallCount(nameof(h.Backend.WaitForTerminalAsync)));
        Assert.True(h.Backend.CallCount(nameof(h.Backend.GetOperationAsync)) >= 4);
    }
}
