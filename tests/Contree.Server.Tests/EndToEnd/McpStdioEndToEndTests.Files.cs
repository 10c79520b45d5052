using System.Security.Cryptography;
using System.Text;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>Moving files between this machine and sandboxes: rsync, upload and download.</summary>
public sealed partial class McpStdioEndToEndTests
{
    private const UnixFileMode Mode0755 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Rsync_ProjectDirectory_RunSeesFilesWithModesAndExcludes()
    {
        var project = Directory.CreateTempSubdirectory("contree-e2e-project-").FullName;
        try
        {
            Directory.CreateDirectory(Path.Combine(project, "src", "lib"));
            Directory.CreateDirectory(Path.Combine(project, "__pycache__"));
            await File.WriteAllTextAsync(Path.Combine(project, "src", "main.sh"), "#!/bin/sh\necho main ran in $(pwd)\ncat src/lib/data.txt\n", TestContext.Current.CancellationToken);
            File.SetUnixFileMode(Path.Combine(project, "src", "main.sh"), Mode0755);
            await File.WriteAllTextAsync(Path.Combine(project, "src", "lib", "data.txt"), "library data\n", TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(project, "debug.log"), "excluded\n", TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(project, "__pycache__", "x.pyc"), "excluded\n", TestContext.Current.CancellationToken);

            var sync = await Session.CallOkAsync("contree_rsync", new { source = project, destination = "/app", exclude = new[] { "*.log", "__pycache__" } });
            var stateId = sync.GetProperty("directory_state_id").GetInt64();
            var run = AssertRan(await RunAsync(new
            {
                command = "./src/main.sh && stat -c '%a' src/main.sh && find /app -type f | sort",
                image = BaseImage,
                directory_state_id = stateId,
                cwd = "/app",
            }));
            var again = await Session.CallOkAsync("contree_rsync", new { source = project, destination = "/app", exclude = new[] { "*.log", "__pycache__" } });

            Assert.Equal("/app", sync.GetProperty("destination").GetString());
            Assert.Equal(2, sync.GetProperty("files").GetInt32());
            Assert.Equal("main ran in /app\nlibrary data\n755\n/app/src/lib/data.txt\n/app/src/main.sh\n", Stdout(run));
            Assert.Equal(stateId, again.GetProperty("directory_state_id").GetInt64());
            Assert.Equal(0, again.GetProperty("uploaded").GetInt32());
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Upload_ContentAndPath_RunReadsThemAtChosenPaths()
    {
        var text = $"uploaded text {Guid.NewGuid():N}\n";
        var binary = RandomNumberGenerator.GetBytes(4096);
        var local = Path.Combine(Path.GetTempPath(), $"contree-e2e-upload-{Guid.NewGuid():N}.bin");
        await File.WriteAllBytesAsync(local, binary, TestContext.Current.CancellationToken);
        try
        {
            var fromContent = await Session.CallOkAsync("contree_upload", new { content = text });
            var fromPath = await Session.CallOkAsync("contree_upload", new { path = local });
            var run = AssertRan(await RunAsync(new
            {
                command = "cat /data/in.txt /etc/copy.txt && sha256sum /data/blob.bin | cut -d' ' -f1",
                image = BaseImage,
                files = new Dictionary<string, string>
                {
                    ["/data/in.txt"] = fromContent.GetProperty("uuid").GetString()!,
                    ["/etc/copy.txt"] = fromContent.GetProperty("uuid").GetString()!,
                    ["/data/blob.bin"] = fromPath.GetProperty("uuid").GetString()!,
                },
            }));

            Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text))), fromContent.GetProperty("sha256").GetString());
            Assert.Equal(Encoding.UTF8.GetByteCount(text), fromContent.GetProperty("size").GetInt64());
            Assert.Equal(4096, fromPath.GetProperty("size").GetInt64());
            Assert.Equal(text + text + Convert.ToHexStringLower(SHA256.HashData(binary)) + "\n", Stdout(run));
        }
        finally
        {
            File.Delete(local);
        }
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Download_FileOfRunResult_WrittenLocallyWithContentAndMode()
    {
        var run = AssertRan(await RunAsync(new { command = "mkdir -p /out && printf 'built artefact\\n' > /out/tool", image = BaseImage, disposable = false }));
        var image = run.GetProperty("result_image").GetString()!;
        var target = Path.Combine(Path.GetTempPath(), $"contree-e2e-download-{Guid.NewGuid():N}", "nested", "tool");
        try
        {
            var download = await Session.CallOkAsync("contree_download", new { image, path = "/out/tool", destination = target, executable = true });
            var missing = await Session.CallErrorAsync("contree_download", new { image, path = "/out/missing", destination = target + ".missing" });

            Assert.True(download.GetProperty("success").GetBoolean());
            Assert.Equal(image, download.GetProperty("source").GetProperty("image").GetString());
            Assert.Equal("/out/tool", download.GetProperty("source").GetProperty("path").GetString());
            Assert.Equal(target, download.GetProperty("destination").GetString());
            Assert.Equal(15, download.GetProperty("size").GetInt64());
            Assert.Equal("built artefact\n", await File.ReadAllTextAsync(target, TestContext.Current.CancellationToken));
            Assert.True(File.GetUnixFileMode(target).HasFlag(UnixFileMode.UserExecute), "executable=true must set the execute bit");
            Assert.Contains("/out/missing", missing, StringComparison.Ordinal);
            Assert.False(File.Exists(target + ".missing"), "a failed download must not leave a file behind");
        }
        finally
        {
            Directory.Delete(Path.GetDirectoryName(Path.GetDirectoryName(target))!, recursive: true);
        }
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Rsync_AfterEditAndDelete_SameStateIdRunSeesCurrentTree()
    {
        var project = Directory.CreateTempSubdirectory("contree-e2e-project-").FullName;
        try
        {
            await File.WriteAllTextAsync(Path.Combine(project, "keep.txt"), "v1\n", TestContext.Current.CancellationToken);
            await File.WriteAllTextAsync(Path.Combine(project, "gone.txt"), "bye\n", TestContext.Current.CancellationToken);
            var first = await Session.CallOkAsync("contree_rsync", new { source = project, destination = "/src" });
            await File.WriteAllTextAsync(Path.Combine(project, "keep.txt"), "v2 longer\n", TestContext.Current.CancellationToken);
            File.Delete(Path.Combine(project, "gone.txt"));

            var second = await Session.CallOkAsync("contree_rsync", new { source = project, destination = "/src" });
            var run = AssertRan(await RunAsync(new
            {
                command = "ls /src; cat /src/keep.txt",
                image = BaseImage,
                directory_state_id = second.GetProperty("directory_state_id").GetInt64(),
            }));

            Assert.Equal(first.GetProperty("directory_state_id").GetInt64(), second.GetProperty("directory_state_id").GetInt64());
            Assert.Equal((1, 1, 1), (second.GetProperty("files").GetInt32(), second.GetProperty("uploaded").GetInt32(), second.GetProperty("removed").GetInt32()));
            Assert.Equal("keep.txt\nv2 longer\n", Stdout(run));
        }
        finally
        {
            Directory.Delete(project, recursive: true);
        }
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Upload_Base64ThenUnknownFileUuid_ContentPlacedAndUnknownRejected()
    {
        var bytes = new byte[] { 0, 1, 2, 0xFE, 0xFF };
        var uploaded = await Session.CallOkAsync("contree_upload", new { content_base64 = Convert.ToBase64String(bytes) });
        var run = AssertRan(await RunAsync(new
        {
            command = "od -An -tx1 /in.bin | tr -d ' \n'",
            image = BaseImage,
            files = new Dictionary<string, string> { ["/in.bin"] = uploaded.GetProperty("uuid").GetString()! },
        }));
        var unknown = Guid.NewGuid().ToString("D");
        var error = await Session.CallErrorAsync("contree_run", new
        {
            command = "true",
            image = BaseImage,
            files = new Dictionary<string, string> { ["/x"] = unknown },
        });

        Assert.Equal("000102feff", Stdout(run));
        Assert.Equal(5, uploaded.GetProperty("size").GetInt64());
        Assert.Contains(unknown, error, StringComparison.Ordinal);
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task FileTools_BadLocalPathsAndIds_RejectedWithoutLeftovers()
    {
        var directory = Directory.CreateTempSubdirectory("contree-e2e-target-").FullName;
        try
        {
            var relativeUpload = await Session.CallErrorAsync("contree_upload", new { path = "relative/file.txt" });
            var relativeDownload = await Session.CallErrorAsync("contree_download", new { image = BaseImage, path = "/etc/passwd", destination = "./passwd" });
            var intoDirectory = await Session.CallErrorAsync("contree_download", new { image = BaseImage, path = "/etc/passwd", destination = directory });
            var unknownStateId = await Session.CallErrorAsync("contree_run", new { command = "true", image = BaseImage, directory_state_id = 987654321 });

            Assert.Contains("relative/file.txt", relativeUpload, StringComparison.Ordinal);
            Assert.Contains("./passwd", relativeDownload, StringComparison.Ordinal);
            Assert.Contains(directory, intoDirectory, StringComparison.Ordinal);
            Assert.Empty(Directory.EnumerateFileSystemEntries(directory));
            Assert.Contains("987654321", unknownStateId, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_ArgumentsOfWrongType_ErrorNamesTheParameter()
    {
        // Agents copy documented ids like "ds_abc123"; the error must say which argument is wrong.
        var stateId = await Session.CallErrorAsync("contree_run", new { command = "true", image = BaseImage, directory_state_id = "ds_abc123" });
        var timeout = await Session.CallErrorAsync("contree_run", new { command = "true", image = BaseImage, timeout = "soon" });

        Assert.True(stateId.Contains("directory_state_id", StringComparison.Ordinal), stateId);
        Assert.True(timeout.Contains("timeout", StringComparison.Ordinal), timeout);
        Assert.DoesNotContain("System.", stateId + timeout, StringComparison.Ordinal);
    }
}
