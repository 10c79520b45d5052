using System.Security.Cryptography;
using Contree.Core.Errors;
using Contree.Mcp.Files;
using Contree.Mcp.Sync;
using Contree.Mcp.Tests.Sync;
using Contree.Mcp.Tools;
using Contree.Tests.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Tests.Files;

public sealed class FileToolsTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly FakeContreeBackend _backend = new();
    private readonly FileSyncCache _cache;
    private readonly FileTools _tools;

    public FileToolsTests()
    {
        var time = new ManualTimeProvider();
        _cache = new FileSyncCache(Options.Create(new ContreeMcpOptions { FileCachePath = _dir.Combine("db/files.db") }), time);
        _tools = new FileTools(_backend, new DirectorySynchronizer(_backend, _cache, time, NullLogger<DirectorySynchronizer>.Instance), new FileUploader(_backend));
    }

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    // ---- upload ---------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Upload_Path_UploadsFileContent()
    {
        var path = _dir.Write("data.bin", "file content");

        var result = await _tools.Upload(path: path, cancellationToken: Ct);

        Assert.Equal("file content"u8.ToArray(), _backend.GetUploadedContent(result.Uuid));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData("file content"u8)), result.Sha256);
        Assert.Equal(12, result.Size);
    }

    [Fact]
    public async Task Upload_Content_UploadsUtf8()
    {
        var result = await _tools.Upload(content: "héllo", cancellationToken: Ct);

        Assert.Equal("héllo"u8.ToArray(), _backend.GetUploadedContent(result.Uuid));
        Assert.Equal(6, result.Size);
    }

    [Fact]
    public async Task Upload_Base64_UploadsDecodedBytes()
    {
        var result = await _tools.Upload(content_base64: Convert.ToBase64String([0, 255, 1]), cancellationToken: Ct);

        Assert.Equal([0, 255, 1], _backend.GetUploadedContent(result.Uuid));
    }

    [Fact]
    public async Task Upload_SeveralSources_PathWinsThenBase64()
    {
        var path = _dir.Write("p.txt", "from path");

        var fromPath = await _tools.Upload(path, "from content", Convert.ToBase64String("from base64"u8), Ct);
        var fromBase64 = await _tools.Upload(null, "from content", Convert.ToBase64String("from base64"u8), Ct);

        Assert.Equal("from path"u8.ToArray(), _backend.GetUploadedContent(fromPath.Uuid));
        Assert.Equal("from base64"u8.ToArray(), _backend.GetUploadedContent(fromBase64.Uuid));
    }

    [Fact]
    public async Task Upload_SameContentTwice_DedupedByHash()
    {
        var first = await _tools.Upload(content: "same", cancellationToken: Ct);
        var second = await _tools.Upload(content: "same", cancellationToken: Ct);

        Assert.Equal(first.Uuid, second.Uuid);
        Assert.Equal(1, _backend.CallCount(nameof(FakeContreeBackend.UploadFileAsync)));
    }

    [Fact]
    public async Task Upload_NothingGiven_ThrowsRequiredMessage()
    {
        var ex = await Assert.ThrowsAsync<ContreeException>(() => _tools.Upload(cancellationToken: Ct));

        Assert.Equal("One of 'path', 'content', or 'content_base64' is required", ex.Message);
    }

    [Fact]
    public async Task Upload_MissingFile_ThrowsFileNotFound()
    {
        var path = _dir.Combine("missing.txt");

        var ex = await Assert.ThrowsAsync<ContreeException>(() => _tools.Upload(path: path, cancellationToken: Ct));

        Assert.Equal($"File not found: {path}", ex.Message);
        Assert.Equal(ContreeErrorKind.NotFound, ex.Kind);
    }

    [Fact]
    public async Task Upload_InvalidBase64_ThrowsClearError()
    {
        var ex = await Assert.ThrowsAsync<ContreeException>(() => _tools.Upload(content_base64: "not*base64", cancellationToken: Ct));

        Assert.Equal("content_base64 is not valid base64", ex.Message);
    }

    [Fact]
    public async Task Upload_RelativePath_ThrowsAbsoluteError()
    {
        var ex = await Assert.ThrowsAsync<ContreeException>(() => _tools.Upload(path: "relative.txt", cancellationToken: Ct));

        Assert.Equal("path must be an absolute path, got: relative.txt", ex.Message);
    }

    // ---- download -------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Download_Tag_WritesFileAndReportsSource()
    {
        var image = _backend.AddImage("alpine:latest");
        _backend.AddFile(image, "/etc/os-release", "NAME=Alpine"u8.ToArray());
        var destination = _dir.Combine("nested/dir/os-release");

        var result = await _tools.Download("tag:alpine:latest", "etc/os-release", destination, cancellationToken: Ct);

        Assert.Equal(new DownloadResult(true, new DownloadSource(image, "/etc/os-release"), destination, 11, false), result);
        Assert.Equal("NAME=Alpine", File.ReadAllText(destination));
    }

    [Fact]
    public async Task Download_Executable_AddsExecuteWhereReadable()
    {
        var image = _backend.AddImage();
        _backend.AddFile(image, "/bin/tool", [1, 2, 3]);
        var destination = _dir.Combine("tool");

        var result = await _tools.Download(image, "/bin/tool", destination, executable: true, cancellationToken: Ct);

        Assert.True(result.Executable);
        var mode = File.GetUnixFileMode(destination);
        Assert.True(mode.HasFlag(UnixFileMode.UserExecute));
        Assert.Equal(mode.HasFlag(UnixFileMode.OtherRead), mode.HasFlag(UnixFileMode.OtherExecute));
        Assert.False(mode.HasFlag(UnixFileMode.OtherWrite));
    }

    [Fact]
    public async Task Download_RelativeDestination_Throws()
    {
        var image = _backend.AddImage();

        var ex = await Assert.ThrowsAsync<ContreeException>(() => _tools.Download(image, "/x", "./binary", cancellationToken: Ct));

        Assert.Equal("destination must be an absolute path, got: ./binary", ex.Message);
    }

    [Fact]
    public async Task Download_MissingFile_NoDestinationCreated()
    {
        var image = _backend.AddImage();
        var destination = _dir.Combine("out.txt");

        await Assert.ThrowsAsync<ContreeException>(() => _tools.Download(image, "/missing", destination, cancellationToken: Ct));

        Assert.False(File.Exists(destination));
        Assert.Empty(Directory.GetFiles(_dir.Path, ".download-*"));
    }

    [Fact]
    public async Task Download_DestinationIsDirectory_ThrowsAndKeepsIt()
    {
        var image = _backend.AddImage();
        _backend.AddFile(image, "/f", [1]);
        var destination = _dir.Combine("existing-dir");
        Directory.CreateDirectory(destination);

        var ex = await Assert.ThrowsAsync<ContreeException>(() => _tools.Download(image, "/f", destination, cancellationToken: Ct));

        Assert.Contains("destination is a directory", ex.Message);
        Assert.True(Directory.Exists(destination));
    }

    // ---- rsync ----------------------------------------------------------------------------------------------------

    [Fact]
    public async Task Rsync_Directory_ReturnsCountsAndStateForRun()
    {
        var source = _dir.Combine("project");
        _dir.Write("project/main.py", "print(1)");
        _dir.Write("project/__pycache__/main.pyc", "x");

        var result = await _tools.Rsync(source, "/app/", ["__pycache__"], Ct);

        Assert.Equal(new SyncResult(result.DirectoryStateId, "/app", 1, 1, 0, 0, 0), result);
        Assert.Equal("/app/main.py", Assert.Single(_cache.GetDirectoryState(result.DirectoryStateId)!.Files).TargetPath);
    }

    [Fact]
    public async Task Rsync_RelativeSource_ThrowsAbsoluteError()
    {
        var ex = await Assert.ThrowsAsync<ContreeException>(() => _tools.Rsync("project", "/app", null, Ct));

        Assert.Equal("source must be an absolute path, got: project", ex.Message);
    }

    [Fact]
    public async Task Rsync_MissingSource_ThrowsDoesNotExist()
    {
        var missing = _dir.Combine("missing");

        var ex = await Assert.ThrowsAsync<ContreeException>(() => _tools.Rsync(missing, "/app", null, Ct));

        Assert.Equal($"source path does not exist: {missing}", ex.Message);
    }

    [Fact]
    public void ExpandHome_Tilde_UsesHome()
    {
        var home = Environment.GetEnvironmentVariable("HOME")!;

        Assert.Equal(home + "/project", LocalPaths.ExpandHome("~/project"));
        Assert.Equal(home, LocalPaths.ExpandHome("~"));
        Assert.Equal("~user/x", LocalPaths.ExpandHome("~user/x"));
        Assert.Equal(Path.Combine(home, "p"), LocalPaths.RequireAbsolute("~/p", "source"));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead, 0x1ED)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite, 0x1C0)]
    [InlineData(UnixFileMode.UserWrite | UnixFileMode.GroupRead, 0x0A8)]
    public void AddExecute_Mode_AddsXWhereRIsSet(UnixFileMode mode, int expected)
    {
        Assert.Equal((UnixFileMode)expected, FileTools.AddExecute(mode));
    }
}
