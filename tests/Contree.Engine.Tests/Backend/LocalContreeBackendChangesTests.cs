using Contree.Core.Models;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Backend;

/// <summary>
/// <c>filesystem_changes</c> of real runs, read from the kernel's overlay upper directory: added, modified, deleted
/// (whiteouts), renamed, replaced directories (opaque), on a second layer, capped with the total.
/// </summary>
public sealed class LocalContreeBackendChangesTests : IAsyncDisposable
{
    private readonly EngineFixture _engine = new();

    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Run_ListsAddedModifiedDeletedAndRenamedPaths_NotTheirParentDirectories()
    {
        var image = _engine.CreateBusyboxImage();

        var op = await _engine.RunAsync(new InstanceMetadata
        {
            Command = "mkdir -p /root/new/deeper && printf 12345 > /root/new/deeper/f && echo x >> /etc/passwd && rm /etc/group "
                + "&& mv /etc/hostname /etc/hn && touch /tmp/t && ln -s /etc/passwd /root/link",
            Image = image,
            Shell = true,
            Disposable = true,
        });

        var result = op.Instance!.Result!;
        Assert.Equal(0, result.State.ExitCode);
        Assert.Equal(
            [
                new FilesystemChange("/etc/group", "deleted"),
                new FilesystemChange("/etc/hn", "added", 9),
                new FilesystemChange("/etc/hostname", "deleted"),
                new FilesystemChange("/etc/passwd", "modified", 84),
                new FilesystemChange("/root/link", "added"),
                new FilesystemChange("/root/new", "added"),
                new FilesystemChange("/root/new/deeper", "added"),
                new FilesystemChange("/root/new/deeper/f", "added", 5),
                new FilesystemChange("/tmp/t", "added", 0),
            ],
            result.FilesystemChanges);
        Assert.Equal(9, result.FilesystemChangesTotal);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Run_OnAChildImage_SeesItsLayersAndAReplacedDirectory()
    {
        var image = _engine.CreateBusyboxImage();
        var child = (await _engine.RunAsync(new InstanceMetadata { Command = "mkdir /srv/app -p && echo v1 > /srv/app/a && echo v1 > /srv/app/b", Image = image, Shell = true })).Result!.Image!;

        var op = await _engine.RunAsync(new InstanceMetadata
        {
            Command = "echo v2 > /srv/app/a && rm -r /srv/app && mkdir /srv/app && echo v3 > /srv/app/c && cat /srv/app/c",
            Image = child,
            Shell = true,
        });

        var result = op.Instance!.Result!;
        Assert.Equal("v3\n", result.Stdout.ToText());
        Assert.Equal(
            [new FilesystemChange("/srv/app", "modified"), new FilesystemChange("/srv/app/c", "added", 3)],
            result.FilesystemChanges);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Run_ManyChanges_ListsTheFirstAndCountsAll_NothingChangedListsNothing()
    {
        var image = _engine.CreateBusyboxImage();

        var many = await _engine.RunAsync(new InstanceMetadata { Command = "mkdir /root/m && cd /root/m && for i in $(seq 1 450); do : > f$i; done", Image = image, Shell = true });
        var none = await _engine.RunAsync(new InstanceMetadata { Command = "cat /etc/passwd >/dev/null", Image = image, Shell = true });

        Assert.Equal(InstanceResult.MaxFilesystemChanges, many.Instance!.Result!.FilesystemChanges!.Count);
        Assert.Equal(451, many.Instance.Result.FilesystemChangesTotal);
        Assert.Equal(new FilesystemChange("/root/m", "added"), many.Instance.Result.FilesystemChanges[0]);
        Assert.Empty(none.Instance!.Result!.FilesystemChanges!);
        Assert.Equal(0, none.Instance.Result.FilesystemChangesTotal);
    }
}
