using Contree.Core.Errors;
using Contree.Mcp.Sync;
using Contree.Tests.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Tests.Sync;

public sealed class DirectorySynchronizerTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly TestDirectory _source = new();
    private readonly ManualTimeProvider _time = new();
    private readonly FileSyncCache _cache;
    private FakeContreeBackend _backend = new();

    public DirectorySynchronizerTests()
    {
        _cache = new FileSyncCache(Options.Create(new ContreeMcpOptions { FileCachePath = _dir.Combine("files.db") }), _time);
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
        _source.Dispose();
    }

    private DirectorySynchronizer Synchronizer() => new(_backend, _cache, _time, NullLogger<DirectorySynchronizer>.Instance);

    private Task<SyncResult> SyncAsync(IReadOnlyList<string>? exclude = null, string destination = "/app") =>
        Synchronizer().SyncAsync(_source.Path, destination, exclude, TestContext.Current.CancellationToken);

    private void WriteProject()
    {
        _source.Write("main.py", "print('main')");
        _source.Write("pkg/util.py", "def util(): pass");
        _source.Write("pkg/__pycache__/util.cpython-311.pyc", "bytecode");
        _source.Write(".env", "SECRET=1");
    }

    private string ContentAt(long stateId, string targetPath)
    {
        var file = _cache.GetDirectoryState(stateId)!.Files.Single(f => f.TargetPath == targetPath);
        return System.Text.Encoding.UTF8.GetString(_backend.GetUploadedContent(file.FileUuid)!);
    }

    [Fact]
    public async Task SyncAsync_FirstSync_UploadsEveryFileIncludingDotfiles()
    {
        WriteProject();

        var result = await SyncAsync();

        Assert.True(result.DirectoryStateId > 0);
        Assert.Equal(new SyncResult(result.DirectoryStateId, "/app", 4, 4, 0, 0, 0), result);
        Assert.Equal(4, _backend.CallCount(nameof(FakeContreeBackend.UploadFileAsync)));
        Assert.Equal(
            ["/app/.env", "/app/main.py", "/app/pkg/__pycache__/util.cpython-311.pyc", "/app/pkg/util.py"],
            _cache.GetDirectoryState(result.DirectoryStateId)!.Files.Select(f => f.TargetPath));
        Assert.Equal("print('main')", ContentAt(result.DirectoryStateId, "/app/main.py"));
    }

    [Fact]
    public async Task SyncAsync_Unchanged_ReturnsSameIdWithoutBackendCalls()
    {
        WriteProject();
        var first = await SyncAsync();
        var uploads = _backend.CallCount(nameof(FakeContreeBackend.UploadFileAsync));
        var lookups = _backend.CallCount(nameof(FakeContreeBackend.GetFileByHashAsync));

        var second = await SyncAsync();

        Assert.Equal(new SyncResult(first.DirectoryStateId, "/app", 4, 0, 0, 4, 0), second);
        Assert.Equal(uploads, _backend.CallCount(nameof(FakeContreeBackend.UploadFileAsync)));
        Assert.Equal(lookups, _backend.CallCount(nameof(FakeContreeBackend.GetFileByHashAsync)));
    }

    [Fact]
    public async Task SyncAsync_OneFileChanged_UploadsOnlyThatFile()
    {
        WriteProject();
        var first = await SyncAsync();
        var path = _source.Write("main.py", "print('changed, and longer')");

        var second = await SyncAsync();

        Assert.Equal(new SyncResult(first.DirectoryStateId, "/app", 4, 1, 0, 3, 0), second);
        Assert.Equal("print('changed, and longer')", ContentAt(second.DirectoryStateId, "/app/main.py"));
        Assert.True(File.Exists(path));
    }

    [Fact]
    public async Task SyncAsync_FileDeleted_RemovedFromState()
    {
        WriteProject();
        var first = await SyncAsync();
        File.Delete(_source.Combine("pkg/util.py"));

        var second = await SyncAsync();

        Assert.Equal(new SyncResult(first.DirectoryStateId, "/app", 3, 0, 0, 3, 1), second);
        Assert.DoesNotContain("/app/pkg/util.py", _cache.GetDirectoryState(second.DirectoryStateId)!.Files.Select(f => f.TargetPath));
    }

    [Fact]
    public async Task SyncAsync_DifferentExcludes_DifferentStates()
    {
        WriteProject();

        var all = await SyncAsync([]);
        var filtered = await SyncAsync(["__pycache__", "*.pyc"]);
        var sameSetOtherOrder = await SyncAsync(["*.pyc", "__pycache__", "*.pyc"]);

        Assert.NotEqual(all.DirectoryStateId, filtered.DirectoryStateId);
        Assert.Equal(filtered.DirectoryStateId, sameSetOtherOrder.DirectoryStateId);
        Assert.Equal(4, _cache.GetDirectoryState(all.DirectoryStateId)!.Files.Count);
        Assert.Equal(3, _cache.GetDirectoryState(filtered.DirectoryStateId)!.Files.Count);
        Assert.Equal(3, filtered.Unchanged + filtered.Reused);
    }

    [Fact]
    public async Task SyncAsync_ContentAlreadyOnBackend_ReusedNotUploaded()
    {
        _source.Write("a.txt", "same");
        _source.Write("b.txt", "same");
        _backend.StoreFile("known"u8.ToArray());
        _source.Write("c.txt", "known");

        var result = await SyncAsync();

        Assert.Equal(3, result.Files);
        Assert.Equal(1, result.Uploaded);
        Assert.Equal(2, result.Reused);
        Assert.Equal(2, _backend.UploadedFileCount);
    }

    [Fact]
    public async Task SyncAsync_ExcludedDirectoryAndSymlinks_FollowsRules()
    {
        _source.Write("src/app.py", "x");
        _source.Write("node_modules/lib/index.js", "y");
        _source.Write("src/node_modules/deep.js", "z");
        using var outside = new TestDirectory();
        outside.Write("secret/file.txt", "outside");
        var target = outside.Write("target.txt", "linked content");
        Directory.CreateSymbolicLink(_source.Combine("linked-dir"), outside.Combine("secret"));
        File.CreateSymbolicLink(_source.Combine("link.txt"), target);
        File.CreateSymbolicLink(_source.Combine("dangling.txt"), outside.Combine("missing.txt"));

        var result = await SyncAsync(["node_modules"]);

        var files = _cache.GetDirectoryState(result.DirectoryStateId)!.Files.Select(f => f.TargetPath);
        Assert.Equal(["/app/link.txt", "/app/src/app.py"], files);
        Assert.Equal("linked content", ContentAt(result.DirectoryStateId, "/app/link.txt"));
    }

    [Fact]
    public async Task SyncAsync_ExecutableFile_KeepsPermissionBits()
    {
        var script = _source.Write("run.sh", "#!/bin/sh\necho hi\n");
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);
        var plain = _source.Write("data.txt", "x");
        File.SetUnixFileMode(plain, (UnixFileMode)0x1A4);

        var result = await SyncAsync();

        var modes = _cache.GetDirectoryState(result.DirectoryStateId)!.Files.ToDictionary(f => f.TargetPath, f => f.Mode);
        Assert.Equal(0x1ED, modes["/app/run.sh"]);
        Assert.Equal(0x1A4, modes["/app/data.txt"]);
    }

    [Fact]
    public async Task SyncAsync_ModeChanged_DetectedAsChange()
    {
        var script = _source.Write("run.sh", "echo");
        File.SetUnixFileMode(script, (UnixFileMode)0x1A4);
        var first = await SyncAsync();
        File.SetUnixFileMode(script, (UnixFileMode)0x1ED);

        var second = await SyncAsync();

        Assert.Equal(first.DirectoryStateId, second.DirectoryStateId);
        Assert.Equal(1, second.Reused);
        Assert.Equal(0x1ED, Assert.Single(_cache.GetDirectoryState(second.DirectoryStateId)!.Files).Mode);
    }

    [Fact]
    public async Task SyncAsync_EmptyDirectory_StateWithoutFiles()
    {
        var result = await SyncAsync();

        Assert.Equal(0, result.Files);
        Assert.Empty(_cache.GetDirectoryState(result.DirectoryStateId)!.Files);
    }

    [Fact]
    public async Task SyncAsync_Within24Hours_DoesNotRevalidate()
    {
        WriteProject();
        await SyncAsync();
        _time.Advance(TimeSpan.FromHours(23));

        await SyncAsync();

        Assert.Equal(0, _backend.CallCount(nameof(FakeContreeBackend.FileExistsByUuidAsync)));
    }

    [Fact]
    public async Task SyncAsync_After24HoursWithContentLost_ReuploadsOnlyExistingFiles()
    {
        WriteProject();
        var first = await SyncAsync();
        File.Delete(_source.Combine(".env"));
        _time.Advance(TimeSpan.FromHours(25));
        _backend = new FakeContreeBackend(); // a backend that no longer has any of the content
        _backend.StoreFile("print('main')"u8.ToArray()); // ... except this one

        var second = await SyncAsync();

        Assert.Equal(new SyncResult(first.DirectoryStateId, "/app", 3, 2, 1, 0, 1), second);
        Assert.Equal(3, _backend.CallCount(nameof(FakeContreeBackend.FileExistsByUuidAsync)));
        Assert.Equal(2, _backend.CallCount(nameof(FakeContreeBackend.UploadFileAsync)));
        Assert.All(_cache.GetDirectoryState(second.DirectoryStateId)!.Files, f => Assert.NotNull(_backend.GetUploadedContent(f.FileUuid)));

        var third = await SyncAsync();

        Assert.Equal(3, _backend.CallCount(nameof(FakeContreeBackend.FileExistsByUuidAsync)));
        Assert.Equal(new SyncResult(first.DirectoryStateId, "/app", 3, 0, 0, 3, 0), third);
    }

    [Fact]
    public async Task SyncAsync_After24HoursContentPresent_KeepsUuidsAndMarksValidated()
    {
        WriteProject();
        var first = await SyncAsync();
        var before = _cache.GetDirectoryState(first.DirectoryStateId)!.Files;
        _time.Advance(TimeSpan.FromHours(25));

        var second = await SyncAsync();

        Assert.Equal(new SyncResult(first.DirectoryStateId, "/app", 4, 0, 0, 4, 0), second);
        Assert.Equal(before, _cache.GetDirectoryState(first.DirectoryStateId)!.Files);
        Assert.Equal(_time.GetUtcNow(), _cache.FindState(DirectorySynchronizer.StateUuid(_source.Path, "/app", []))!.ValidatedAt);
    }

    [Fact]
    public async Task SyncAsync_UploadFails_NothingRecordedAndErrorPropagates()
    {
        WriteProject();
        _backend.FailAlways(nameof(FakeContreeBackend.UploadFileAsync), ContreeException.Unavailable("backend down"));

        var ex = await Assert.ThrowsAsync<ContreeException>(() => SyncAsync());

        Assert.Equal("backend down", ex.Message);
        Assert.Null(_cache.FindState(DirectorySynchronizer.StateUuid(_source.Path, "/app", [])));
    }

    [Fact]
    public async Task SyncAsync_SourceIsFile_ThrowsClearError()
    {
        var file = _source.Write("single.txt", "x");

        var ex = await Assert.ThrowsAsync<ContreeException>(() => Synchronizer().SyncAsync(file, "/app", null, TestContext.Current.CancellationToken));

        Assert.Contains("source must be a directory", ex.Message);
    }

    [Fact]
    public async Task SyncAsync_SourceMissing_ThrowsNotFound()
    {
        var missing = _source.Combine("nope");

        var ex = await Assert.ThrowsAsync<ContreeException>(() => Synchronizer().SyncAsync(missing, "/app", null, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.NotFound, ex.Kind);
        Assert.Equal($"source path does not exist: {missing}", ex.Message);
    }

    [Theory]
    [InlineData("app")]
    [InlineData("/app/../etc")]
    [InlineData("")]
    public async Task SyncAsync_BadDestination_ThrowsInvalidArgument(string destination)
    {
        var ex = await Assert.ThrowsAsync<ContreeException>(() => SyncAsync(destination: destination));

        Assert.Equal(ContreeErrorKind.InvalidArgument, ex.Kind);
        Assert.Contains("destination", ex.Message);
    }

    [Fact]
    public async Task SyncAsync_DestinationWithTrailingSlash_Normalised()
    {
        _source.Write("a", "1");

        var result = await SyncAsync(destination: "/app//src/");

        Assert.Equal("/app/src", result.Destination);
        Assert.Equal("/app/src/a", Assert.Single(_cache.GetDirectoryState(result.DirectoryStateId)!.Files).TargetPath);
    }

    [Theory]
    [InlineData("/tmp/project", "/app", new string[0], "08136804-94f4-5869-8ba8-437282d7865a")]
    [InlineData("/tmp/project", "/app", new[] { "*.pyc", "__pycache__" }, "be1a66d5-a63c-5860-ba18-41a13fddb88d")]
    public void StateUuid_KnownInputs_MatchPythonUuid5(string root, string destination, string[] excludes, string expected)
    {
        // Expected values from Python: uuid.uuid5(uuid.NAMESPACE_URL, "file:///tmp/project?dest=/app&...")
        Assert.Equal(expected, DirectorySynchronizer.StateUuid(root, destination, excludes));
    }
}
