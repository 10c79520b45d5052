using System.Text;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Engine.Storage;
using Contree.Engine.Tests.Storage;

namespace Contree.Engine.Tests.Backend;

public sealed class LocalContreeBackendImageTests : IAsyncDisposable
{
    private readonly EngineFixture _engine = new();

    private LocalContreeBackend Backend => _engine.Backend;

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Fact]
    public async Task TagImage_TagHeldByOther_MovesAndLooksUp()
    {
        var first = Insert(tag: "app:1");
        var second = Insert();

        var tagged = await Backend.TagImageAsync(second, "app:1", TestContext.Current.CancellationToken);

        Assert.Equal("app:1", tagged.Tag);
        Assert.Null((await Backend.GetImageAsync(first, TestContext.Current.CancellationToken)).Tag);
        Assert.Equal(second, (await Backend.GetImageByTagAsync("app:1", TestContext.Current.CancellationToken)).Uuid);
        await Backend.UntagImageAsync(second, TestContext.Current.CancellationToken);
        var missing = await Assert.ThrowsAsync<ContreeException>(() => Backend.GetImageByTagAsync("app:1", TestContext.Current.CancellationToken));
        Assert.Equal(ContreeErrorKind.NotFound, missing.Kind);
        Assert.Equal("tag 'app:1' not found", missing.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\there")]
    [InlineData("new\nline")]
    public async Task TagImage_InvalidTag_InvalidArgument(string tag)
    {
        var image = Insert();

        var error = await Assert.ThrowsAsync<ContreeException>(() => Backend.TagImageAsync(image, tag, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("tag", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagImage_TooLong_InvalidArgument()
    {
        var image = Insert();

        var error = await Assert.ThrowsAsync<ContreeException>(() => Backend.TagImageAsync(image, new string('a', 256), TestContext.Current.CancellationToken));

        Assert.Contains("255", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TagAndGet_UnknownImage_NotFoundNamingUuid()
    {
        var uuid = Guid.NewGuid().ToString("D");

        var tag = await Assert.ThrowsAsync<ContreeException>(() => Backend.TagImageAsync(uuid, "x", TestContext.Current.CancellationToken));
        var get = await Assert.ThrowsAsync<ContreeException>(() => Backend.GetImageAsync(uuid, TestContext.Current.CancellationToken));
        var list = await Assert.ThrowsAsync<ContreeException>(() => Backend.ListDirectoryAsync(uuid, "/", TestContext.Current.CancellationToken));

        Assert.All([tag, get, list], e => Assert.Equal($"image {uuid} not found", e.Message));
    }

    [Fact]
    public async Task ListImages_Filters_NewestFirstWithPrefixTaggedAndTime()
    {
        var old = Insert(tag: "python:3.11", createdAt: DateTimeOffset.UtcNow.AddDays(-3));
        var mid = Insert(tag: "python:3.12", createdAt: DateTimeOffset.UtcNow.AddHours(-2));
        var untagged = Insert(createdAt: DateTimeOffset.UtcNow.AddMinutes(-1));
        var other = Insert(tag: "pythonista", createdAt: DateTimeOffset.UtcNow);

        Assert.Equal([other, untagged, mid, old], await ListAsync(new ImageListQuery()));
        Assert.Equal([other, mid, old], await ListAsync(new ImageListQuery { Tagged = true }));
        Assert.Equal([untagged], await ListAsync(new ImageListQuery { Tagged = false }));
        // The prefix is normalised (trailing ':' stripped) and then matched as a plain prefix.
        Assert.Equal([other, mid, old], await ListAsync(new ImageListQuery { TagPrefix = "python:" }));
        Assert.Equal([mid], await ListAsync(new ImageListQuery { TagPrefix = "python:3.12" }));
        Assert.Equal([other, untagged, mid], await ListAsync(new ImageListQuery { Since = "1d" }));
        Assert.Equal([mid, old], await ListAsync(new ImageListQuery { Until = "30m" }));
        Assert.Equal([old], await ListAsync(new ImageListQuery { Until = DateTimeOffset.UtcNow.AddDays(-1).ToString("O") }));
        Assert.Equal([untagged, mid], await ListAsync(new ImageListQuery { Limit = 2, Offset = 1 }));
    }

    [Fact]
    public async Task ListImages_BadSince_InvalidArgumentNamingField()
    {
        var error = await Assert.ThrowsAsync<ContreeException>(() => Backend.ListImagesAsync(new ImageListQuery { Since = "yesterday" }, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.StartsWith("since", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UploadFile_SameContentTwice_SameUuidAndFoundByHash()
    {
        var content = Encoding.UTF8.GetBytes("print('hello')\n");
        var sha = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));

        var first = await Backend.UploadFileAsync(new MemoryStream(content), TestContext.Current.CancellationToken);
        var second = await Backend.UploadFileAsync(new MemoryStream(content), TestContext.Current.CancellationToken);

        Assert.Equal(first.Uuid, second.Uuid);
        Assert.Equal(sha, first.Sha256);
        Assert.Equal(first.Uuid, (await Backend.GetFileByHashAsync(sha.ToUpperInvariant(), TestContext.Current.CancellationToken))?.Uuid);
        Assert.True(await Backend.FileExistsByHashAsync("sha256:" + sha, TestContext.Current.CancellationToken));
        Assert.True(await Backend.FileExistsByUuidAsync(first.Uuid, TestContext.Current.CancellationToken));
        Assert.False(await Backend.FileExistsByUuidAsync(Guid.NewGuid().ToString(), TestContext.Current.CancellationToken));
        Assert.Null(await Backend.GetFileByHashAsync(new string('0', 64), TestContext.Current.CancellationToken));
        var bad = await Assert.ThrowsAsync<ContreeException>(() => Backend.GetFileByHashAsync("xyz", TestContext.Current.CancellationToken));
        Assert.Equal(ContreeErrorKind.InvalidArgument, bad.Kind);
    }

    [Fact]
    public async Task ListDirectoryText_BusyboxRoot_LsLines()
    {
        var image = _engine.CreateBusyboxImage();

        var text = await Backend.ListDirectoryTextAsync(image, ".", TestContext.Current.CancellationToken);

        var lines = text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("total ", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, l => l.StartsWith("drwxrwxrwt", StringComparison.Ordinal) && l.EndsWith(" tmp", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.StartsWith("drwx------", StringComparison.Ordinal) && l.EndsWith(" root", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Operations_UnknownId_NotFound()
    {
        var id = Guid.NewGuid().ToString();

        var get = await Assert.ThrowsAsync<ContreeException>(() => Backend.GetOperationAsync(id, TestContext.Current.CancellationToken));
        var cancel = await Assert.ThrowsAsync<ContreeException>(() => Backend.CancelOperationAsync(id, TestContext.Current.CancellationToken));
        var wait = await Assert.ThrowsAsync<ContreeException>(() => Backend.WaitForTerminalAsync(id, TestContext.Current.CancellationToken));

        Assert.All([get, cancel, wait], e => Assert.Equal($"operation {id} not found", e.Message));
    }

    private string Insert(string? tag = null, DateTimeOffset? createdAt = null)
    {
        var image = StoreFixture.NewImage(["0123456789abcdef0123456789abcdef"], tag, Timestamps.Format(createdAt ?? DateTimeOffset.UtcNow));
        _engine.Get<ImageStore>().Insert(image);
        return image.Uuid;
    }

    private async Task<List<string>> ListAsync(ImageListQuery query) =>
        [.. (await Backend.ListImagesAsync(query, TestContext.Current.CancellationToken)).Images.Select(i => i.Uuid)];
}
