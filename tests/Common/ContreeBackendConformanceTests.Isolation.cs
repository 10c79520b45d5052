using Contree.Core.Errors;

namespace Contree.Tests.Common;

/// <summary>
/// Inspection stays inside the image: symlinks and '..' resolve against the image root, never the host's, and overlay
/// whiteouts and opaque directories (OCI image-spec layer.md) hide what lower layers had.
/// </summary>
public abstract partial class ContreeBackendConformanceTests
{
    /// <summary>A file every Debian host has and the busybox image does not.</summary>
    private const string HostOnlyFile = "/etc/debian_version";

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Inspect_SymlinksPointingOutside_ResolvedInsideImageNeverOnHost()
    {
        Assert.SkipUnless(File.Exists(HostOnlyFile), $"{HostOnlyFile} is missing on this host, so an escape could not be told apart");
        var op = await RunShellAsync(
            $"ln -s {HostOnlyFile} /root/absolute && ln -s ../../../../..{HostOnlyFile} /root/relative && ln -s /usr/share /root/dirlink",
            disposable: false);
        AssertInstanceSucceeded(op);
        var image = op.Result!.Image!;

        foreach (var path in new[] { "/root/absolute", "/root/relative", "/../../../.." + HostOnlyFile })
        {
            Assert.False(await Backend.FileExistsInImageAsync(image, path, Token), $"{path} must not reach the host's {HostOnlyFile}");
            var error = await Assert.ThrowsAsync<ContreeException>(() => Backend.DownloadFileAsync(image, path, Token));
            Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
        }

        var links = await Backend.ListDirectoryAsync(image, "/root", Token);
        Assert.Contains(links.Files, f => f.Path == "absolute" && f.IsSymlink && f.SymlinkTo == HostOnlyFile);
        var throughLink = await ListOrNotFoundAsync(image, "/root/dirlink");
        Assert.True(throughLink is null || throughLink.Count == 0, $"listing /root/dirlink showed host entries: {string.Join(", ", throughLink ?? [])}");
        var dotDot = await Backend.ListDirectoryAsync(image, "/../..", Token);
        Assert.Equal(
            (await Backend.ListDirectoryAsync(image, "/", Token)).Files.Select(f => f.Path).Order(),
            dotDot.Files.Select(f => f.Path).Order());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Inspect_DeletedAndReplacedDirectories_HiddenInChildAndGrandchild()
    {
        var child = await RunShellAsync("rm /etc/group && rm -rf /usr && mkdir -p /usr/fresh && echo new > /usr/fresh/file", disposable: false);
        AssertInstanceSucceeded(child);
        var childImage = child.Result!.Image!;
        var grandchild = await RunShellAsync("ls -A /usr; test -e /etc/group && echo group-back; echo more > /etc/extra", childImage, disposable: false);

        Assert.Equal("fresh\n", AssertInstanceSucceeded(grandchild).Stdout.ToText());
        var grandchildImage = grandchild.Result!.Image!;
        foreach (var image in new[] { childImage, grandchildImage })
        {
            Assert.Equal(["fresh"], (await Backend.ListDirectoryAsync(image, "/usr", Token)).Files.Select(f => f.Path));
            Assert.DoesNotContain((await Backend.ListDirectoryAsync(image, "/etc", Token)).Files, f => f.Path == "group");
            Assert.False(await Backend.FileExistsInImageAsync(image, "/etc/group", Token));
            Assert.DoesNotContain(".wh.", await Backend.ListDirectoryTextAsync(image, "/etc", Token), StringComparison.Ordinal);
        }

        Assert.True(await Backend.FileExistsInImageAsync(grandchildImage, "/etc/extra", Token));
        Assert.True(await Backend.FileExistsInImageAsync(BaseImage, "/etc/group", Token), "the base image must keep its files");
        Assert.Contains((await Backend.ListDirectoryAsync(BaseImage, "/usr", Token)).Files, f => f.Path == "bin");
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Inspect_OwnershipModesAndSpecialFiles_ReportedAsInSandbox()
    {
        var op = await RunShellAsync(
            "mkdir -p /srv/x && echo data > /srv/x/owned && chown 1234:4321 /srv/x/owned && chmod 0640 /srv/x/owned && mkfifo /srv/x/pipe && ln /srv/x/owned /srv/x/hard",
            disposable: false);
        AssertInstanceSucceeded(op);

        var files = (await Backend.ListDirectoryAsync(op.Result!.Image!, "/srv/x", Token)).Files;

        var owned = Assert.Single(files, f => f.Path == "owned");
        Assert.Equal(("1234", "4321", 0b110_100_000, 5L), (owned.Owner, owned.Group, owned.Mode & 0xFFF, owned.Size));
        Assert.True(owned.IsRegular);
        Assert.True(Assert.Single(files, f => f.Path == "pipe").IsFifo);
        Assert.Equal(5L, Assert.Single(files, f => f.Path == "hard").Size);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Inspect_DownloadDirectoryOrListFile_Rejected()
    {
        var download = await Assert.ThrowsAsync<ContreeException>(() => Backend.DownloadFileAsync(BaseImage, "/etc", Token));
        var list = await Assert.ThrowsAsync<ContreeException>(() => Backend.ListDirectoryAsync(BaseImage, "/etc/passwd", Token));

        Assert.Contains(download.Kind, (ContreeErrorKind[])[ContreeErrorKind.InvalidArgument, ContreeErrorKind.NotFound]);
        Assert.Contains(list.Kind, (ContreeErrorKind[])[ContreeErrorKind.InvalidArgument, ContreeErrorKind.NotFound]);
    }

    private async Task<IReadOnlyList<string>?> ListOrNotFoundAsync(string image, string path)
    {
        try
        {
            return [.. (await Backend.ListDirectoryAsync(image, path, Token)).Files.Select(f => f.Path)];
        }
        catch (ContreeException error) when (error.Kind is ContreeErrorKind.NotFound or ContreeErrorKind.InvalidArgument)
        {
            return null;
        }
    }
}
