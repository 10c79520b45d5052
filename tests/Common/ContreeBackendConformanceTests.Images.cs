using System.Text;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>Images, tags and inspection (E1, E3–E10).</summary>
public abstract partial class ContreeBackendConformanceTests
{
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task ImportImage_OciLayout_ImageListedAndFoundByTag()
    {
        var import = Fixture.ImportOperation;

        Assert.Equal(OperationKind.ImageImport, import.Kind);
        Assert.Equal(OperationStatus.Success, import.Status);
        Assert.StartsWith("oci:", import.Import!.Registry.Url, StringComparison.Ordinal);
        Assert.Equal(BaseImage, (await Backend.GetImageAsync(BaseImage, Token)).Uuid);
        Assert.Equal(BaseImage, (await Backend.GetImageByTagAsync(Fixture.BaseTag, Token)).Uuid);
        var listed = await Backend.ListImagesAsync(new ImageListQuery { TagPrefix = Fixture.BaseTag }, Token);
        var image = Assert.Single(listed.Images);
        Assert.Equal(BaseImage, image.Uuid);
        Assert.Equal(Fixture.BaseTag, image.Tag);
        Assert.False(string.IsNullOrEmpty(image.CreatedAt), "an image must carry its creation time");
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task TagImage_ThenUntag_TagResolvesUntilRemoved()
    {
        var image = await CreateChildImageAsync("tag-untag");
        var tag = UniqueTag("tag-untag");

        var tagged = await Backend.TagImageAsync(image, tag, Token);
        var found = await Backend.GetImageByTagAsync(tag, Token);
        await Backend.UntagImageAsync(image, Token);

        Assert.Equal(image, tagged.Uuid);
        Assert.Equal(tag, tagged.Tag);
        Assert.Equal(image, found.Uuid);
        Assert.True(string.IsNullOrEmpty((await Backend.GetImageAsync(image, Token)).Tag), "untag must clear the image's tag");
        var error = await Assert.ThrowsAsync<ContreeException>(() => Backend.GetImageByTagAsync(tag, Token));
        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task TagImage_TagHeldByAnotherImage_MovesTag()
    {
        var first = await CreateChildImageAsync("move-first");
        var second = await CreateChildImageAsync("move-second");
        var tag = UniqueTag("move");

        await Backend.TagImageAsync(first, tag, Token);
        await Backend.TagImageAsync(second, tag, Token);

        Assert.Equal(second, (await Backend.GetImageByTagAsync(tag, Token)).Uuid);
        Assert.True(string.IsNullOrEmpty((await Backend.GetImageAsync(first, Token)).Tag), "a tag names one image: the first image must lose it");
        Assert.Equal(tag, (await Backend.GetImageAsync(second, Token)).Tag);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task ListImages_TaggedFilter_SeparatesTaggedAndUntagged()
    {
        var untagged = await CreateChildImageAsync("untagged");

        var onlyTagged = await Backend.ListImagesAsync(new ImageListQuery { Tagged = true, Limit = 1000 }, Token);
        var onlyUntagged = await Backend.ListImagesAsync(new ImageListQuery { Tagged = false, Limit = 1000 }, Token);

        Assert.All(onlyTagged.Images, i => Assert.False(string.IsNullOrEmpty(i.Tag)));
        Assert.Contains(onlyTagged.Images, i => i.Uuid == BaseImage);
        Assert.All(onlyUntagged.Images, i => Assert.True(string.IsNullOrEmpty(i.Tag)));
        Assert.Contains(onlyUntagged.Images, i => i.Uuid == untagged);
        Assert.DoesNotContain(onlyUntagged.Images, i => i.Uuid == BaseImage);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Lookups_UnknownTagImageOrOperation_NotFound()
    {
        var unknown = Guid.NewGuid().ToString("D");

        var errors = new[]
        {
            await Assert.ThrowsAsync<ContreeException>(() => Backend.GetImageByTagAsync(UniqueTag("missing"), Token)),
            await Assert.ThrowsAsync<ContreeException>(() => Backend.GetImageAsync(unknown, Token)),
            await Assert.ThrowsAsync<ContreeException>(() => Backend.GetOperationAsync(unknown, Token)),
            await Assert.ThrowsAsync<ContreeException>(() => Backend.ListDirectoryAsync(unknown, "/", Token)),
            await Assert.ThrowsAsync<ContreeException>(() => Backend.DownloadFileAsync(BaseImage, "/etc/no-such-file", Token)),
        };

        Assert.All(errors, e => Assert.Equal(ContreeErrorKind.NotFound, e.Kind));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task ListDirectory_RootAndBin_ShowsTypesAndSymlinks()
    {
        var root = await Backend.ListDirectoryAsync(BaseImage, "/", Token);
        var bin = await Backend.ListDirectoryAsync(BaseImage, "/bin", Token);

        Assert.Equal("/", root.Path);
        Assert.Contains(root.Files, f => f.Path == "etc" && f.IsDir && !f.IsRegular);
        Assert.Contains(root.Files, f => f.Path == "tmp" && f.IsDir && (f.Mode & 0xFFF) == Convert.ToInt32("1777", 8));
        Assert.Equal("/bin", bin.Path.TrimEnd('/'));
        var busybox = Assert.Single(bin.Files, f => f.Path == "busybox");
        Assert.True(busybox.IsRegular);
        Assert.Equal(new FileInfo(BusyboxRootfs.HostBusybox).Length, busybox.Size);
        var sh = Assert.Single(bin.Files, f => f.Path == "sh");
        Assert.True(sh.IsSymlink);
        Assert.Equal("/bin/busybox", sh.SymlinkTo);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task ListDirectoryText_Etc_NamesEveryEntry()
    {
        var text = await Backend.ListDirectoryTextAsync(BaseImage, "/etc", Token);

        Assert.Contains("passwd", text, StringComparison.Ordinal);
        Assert.Contains("group", text, StringComparison.Ordinal);
        Assert.Contains("hostname", text, StringComparison.Ordinal);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task DownloadFile_EtcPasswd_ReturnsExactBytes()
    {
        await using var stream = await Backend.DownloadFileAsync(BaseImage, "/etc/passwd", Token);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, Token);

        Assert.Equal(
            "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n",
            Encoding.UTF8.GetString(buffer.ToArray()));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task FileExistsInImage_FileMissingAndDirectory_OnlyRegularFilesExist()
    {
        Assert.True(await Backend.FileExistsInImageAsync(BaseImage, "/etc/passwd", Token));
        Assert.False(await Backend.FileExistsInImageAsync(BaseImage, "/etc/no-such-file", Token));
        Assert.False(await Backend.FileExistsInImageAsync(BaseImage, "/etc", Token));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task CreatedAt_ImagesAndOperations_Iso8601AndFilterable()
    {
        var before = DateTimeOffset.UtcNow.AddSeconds(-2);
        var image = await CreateChildImageAsync("created-at");
        var after = DateTimeOffset.UtcNow.AddSeconds(2);

        var created = DateTimeOffset.Parse((await Backend.GetImageAsync(image, Token)).CreatedAt, System.Globalization.CultureInfo.InvariantCulture);
        var since = await Backend.ListImagesAsync(new ImageListQuery { Since = before.ToString("O"), Limit = 1000 }, Token);
        var until = await Backend.ListImagesAsync(new ImageListQuery { Until = before.ToString("O"), Limit = 1000 }, Token);
        var operations = await Backend.ListOperationsAsync(new OperationListQuery { Since = before.ToString("O"), Limit = 1000 }, Token);

        Assert.InRange(created, before, after);
        Assert.Contains(since.Images, i => i.Uuid == image);
        Assert.DoesNotContain(until.Images, i => i.Uuid == image);
        Assert.All(operations.Operations, o => Assert.True(
            DateTimeOffset.Parse(o.CreatedAt, System.Globalization.CultureInfo.InvariantCulture) >= before.AddSeconds(-1),
            $"operation {o.Uuid} created {o.CreatedAt} is older than the since filter {before:O}"));
        Assert.Empty((await Backend.ListImagesAsync(new ImageListQuery { Since = after.AddHours(1).ToString("O") }, Token)).Images);
        Assert.Empty((await Backend.ListOperationsAsync(new OperationListQuery { Since = after.AddHours(1).ToString("O") }, Token)).Operations);
    }
}
