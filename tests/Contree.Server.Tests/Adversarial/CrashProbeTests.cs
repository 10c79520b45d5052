using System.Diagnostics;
using System.Security.Cryptography;
using Contree.Server.Tests.EndToEnd;
using Contree.Tests.Common;

namespace Contree.Server.Tests.Adversarial;

/// <summary>
/// The real server killed with SIGKILL in the middle of a commit, an import and an rsync upload (each caught by the
/// half-written data it leaves: <c>staging/</c> or <c>ingest/</c> not empty), then started again on the same data
/// directory: the interrupted operation is FAILED, nothing it was writing is visible (no image, no layer, no file), nothing
/// is left behind (mounts, run directories, half-written blobs and layers), and the same work then succeeds.
/// </summary>
public sealed class CrashProbeTests
{
    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Kill_DuringCommit_NoImageNoLayerNothingLeft()
    {
        // With a disk limit the commit copies the upper into staging/: a window wide enough to kill the server in.
        await using var server = new ServerInstance("--engine-disk-limit", "256m", "--engine-memory-limit", "1g");
        var tag = await server.ImportBusyboxAsync("crash/commit:1", Token);
        var (session, process) = await server.StartHttpAsync(Token);
        string operation;
        int images, layers;
        await using (session)
        {
            images = await CountImagesAsync(session);
            layers = LayerCount(server);
            var started = await session.CallOkAsync("contree_run", new
            {
                command = "i=0; while [ $i -lt 6000 ]; do echo $i > /root/f$i; i=$((i+1)); done",
                image = "tag:" + tag,
                disposable = false,
                wait = false,
                timeout = 300,
            });
            operation = started.GetProperty("operation_id").GetString()!;
            await KillWhenNotEmptyAsync(server, process, "staging");
        }

        var (restarted, _) = await server.StartHttpAsync(Token);
        await using (restarted)
        {
            await AssertInterruptedAsync(restarted, operation);
            Assert.Equal(images, await CountImagesAsync(restarted));
            Assert.Equal(layers, LayerCount(server));
            AssertNothingLeft(server);
            var again = await restarted.CallOkAsync("contree_run", new { command = "echo kept > /root/f && cat /root/f", image = "tag:" + tag, disposable = false });
            Assert.Equal("kept\n", again.GetProperty("stdout").GetString());
            Assert.Equal(layers + 1, LayerCount(server));
        }
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Kill_DuringImport_NoImageNoLayerNothingLeft()
    {
        await using var server = new ServerInstance();
        var layout = Path.Combine(server.Root, "layout");
        var rootfs = BusyboxRootfs.Create(Path.Combine(server.Root, "rootfs"));
        await WriteRandomFileAsync(Path.Combine(rootfs, "big.bin"), 64 << 20);
        OciImageWriter.WriteLayout(layout, (OciImageBuilder.SimpleImage(OciImageBuilder.TarDirectory(rootfs)), "1"));
        const string tag = "crash/import:1";
        var (session, process) = await server.StartHttpAsync(Token);
        string operation;
        await using (session)
        {
            var started = await session.CallOkAsync("contree_import_image", new { registry_url = $"oci:{layout}:1", tag, wait = false });
            operation = started.GetProperty("operation_id").GetString()!;
            await KillWhenNotEmptyAsync(server, process, "ingest");
        }

        var (restarted, _) = await server.StartHttpAsync(Token);
        await using (restarted)
        {
            await AssertInterruptedAsync(restarted, operation);
            Assert.Equal(0, await CountImagesAsync(restarted));
            Assert.Equal(0, LayerCount(server));
            AssertNothingLeft(server);
            var import = await restarted.CallOkAsync("contree_import_image", new { registry_url = $"oci:{layout}:1", tag });
            Assert.Equal("SUCCESS", import.GetProperty("status").GetString());
            var run = await restarted.CallOkAsync("contree_run", new { command = "wc -c < /big.bin", image = "tag:" + tag });
            Assert.Equal($"{64 << 20}\n", run.GetProperty("stdout").GetString());
        }
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Kill_DuringRsyncUpload_NoFileNothingLeft()
    {
        await using var server = new ServerInstance();
        var tag = await server.ImportBusyboxAsync("crash/rsync:1", Token);
        var project = Path.Combine(server.Root, "project");
        Directory.CreateDirectory(project);
        var big = Path.Combine(project, "big.bin");
        await WriteRandomFileAsync(big, 200 << 20);
        var (session, process) = await server.StartHttpAsync(Token);
        await using (session)
        {
            var upload = session.CallAsync("contree_rsync", new { source = project, destination = "/project" }, Token);
            await KillWhenNotEmptyAsync(server, process, "ingest");
            await Assert.ThrowsAnyAsync<Exception>(async () => await upload);
        }

        var (restarted, _) = await server.StartHttpAsync(Token);
        await using (restarted)
        {
            AssertNothingLeft(server);
            Assert.DoesNotContain(
                Directory.EnumerateFiles(Path.Combine(server.DataDirectory, "blobs"), "*", SearchOption.AllDirectories),
                static f => new FileInfo(f).Length >= 200 << 20);
            var synced = await restarted.CallOkAsync("contree_rsync", new { source = project, destination = "/project" });
            var run = await restarted.CallOkAsync("contree_run", new
            {
                command = "sha256sum /project/big.bin | cut -d' ' -f1",
                image = "tag:" + tag,
                directory_state_id = synced.GetProperty("directory_state_id").GetInt64(),
            });
            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(File.ReadAllBytes(big))) + "\n", run.GetProperty("stdout").GetString());
        }
    }


    /// <summary>
    /// Polls the data directory until <paramref name="directory"/> holds data being written, then SIGKILLs the server.
    /// Fails when the operation finished first (the window was missed, so the probe proved nothing).
    /// </summary>
    /// <summary>
    /// Polls the data directory until <paramref name="directory"/> holds data being written, then SIGKILLs the server.
    /// An operation that finished first shows as SUCCESS after the restart, which fails the test.
    /// </summary>
    private static async Task KillWhenNotEmptyAsync(ServerInstance server, Process process, string directory)
    {
        var path = Path.Combine(server.DataDirectory, directory);
        var watch = Stopwatch.StartNew();
        while (!HoldsData(path))
        {
            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(120), $"{directory}/ never held data; server stderr:\n{server.StandardError}");

            // Nothing notifies a test that a directory got an entry; the window lasts hundreds of milliseconds.
            await Task.Delay(TimeSpan.FromMilliseconds(2), Token);
        }

        process.Kill();
        await process.WaitForExitAsync(Token);
    }

    private static bool HoldsData(string path) =>
        Directory.Exists(path) && Directory.EnumerateFiles(path, "*", SearchOption.AllDirectories).Any();

    private static async Task AssertInterruptedAsync(McpSession session, string operationId)
    {
        var op = await session.CallOkAsync("contree_get_operation", new { operation_id = operationId });
        Assert.Equal("FAILED", op.GetProperty("status").GetString());
        Assert.Contains("restart", op.GetProperty("error").GetString(), StringComparison.OrdinalIgnoreCase);
    }

    private static void AssertNothingLeft(ServerInstance server)
    {
        Assert.Empty(server.MountsUnderRoot());
        foreach (var directory in (string[])["runs", "ingest", "staging"])
        {
            var path = Path.Combine(server.DataDirectory, directory);
            Assert.True(!Directory.Exists(path) || !Directory.EnumerateFileSystemEntries(path).Any(), $"{directory}/ is not empty after the restart");
        }
    }

    private static int LayerCount(ServerInstance server)
    {
        var layers = Path.Combine(server.DataDirectory, "layers");
        return Directory.Exists(layers) ? Directory.GetDirectories(layers).Length : 0;
    }

    private static async Task<int> CountImagesAsync(McpSession session)
    {
        var listed = await session.CallOkAsync("contree_list_images", new { });
        return listed.GetProperty("images").GetArrayLength();
    }

    private static async Task WriteRandomFileAsync(string path, int bytes)
    {
        var buffer = new byte[1 << 20];
        await using var file = File.Create(path);
        for (var written = 0; written < bytes; written += buffer.Length)
        {
            RandomNumberGenerator.Fill(buffer);
            await file.WriteAsync(buffer, Token);
        }
    }
}
