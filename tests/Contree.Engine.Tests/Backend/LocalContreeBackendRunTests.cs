using System.Text;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Engine.Storage;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Backend;

public sealed class LocalContreeBackendRunTests : IAsyncDisposable
{
    private readonly EngineFixture _engine = new();

    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    public ValueTask DisposeAsync() => _engine.DisposeAsync();

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_Echo_SuccessWithStdoutAndImageEnv()
    {
        var image = _engine.CreateBusyboxImage();

        var op = await _engine.RunAsync(new InstanceMetadata
        {
            Command = "echo hi $GREETING $EXTRA",
            Image = image,
            Shell = true,
            Env = new Dictionary<string, string> { ["EXTRA"] = "from-request" },
            Disposable = true,
        });

        Assert.Equal(OperationStatus.Success, op.Status);
        Assert.Equal("hi from-image from-request\n", op.Instance!.Result!.Stdout.ToText());
        Assert.Equal(0, op.Instance.Result.State.ExitCode);
        Assert.Null(op.Result?.Image);
        Assert.Empty(Directory.EnumerateFileSystemEntries(Path.Combine(_engine.DataDirectory, "runs")));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_NonZeroExit_SuccessWithExitCode()
    {
        var image = _engine.CreateBusyboxImage();

        var op = await _engine.RunAsync(new InstanceMetadata { Command = "echo oops >&2; exit 7", Image = image, Shell = true });

        Assert.Equal(OperationStatus.Success, op.Status);
        Assert.Equal(7, op.Instance!.Result!.State.ExitCode);
        Assert.Equal("oops\n", op.Instance.Result.Stderr.ToText());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_NotDisposableWithChanges_ChildImageChainsAndInspects()
    {
        var image = _engine.CreateBusyboxImage();

        var first = await _engine.RunAsync(new InstanceMetadata { Command = "echo one > /root/a; rm /etc/hostname", Image = image, Shell = true });
        var child = first.Result!.Image!;
        var second = await _engine.RunAsync(new InstanceMetadata { Command = "cat /root/a; echo two > /root/b", Image = child, Shell = true });
        var grandchild = second.Result!.Image!;

        Assert.NotEqual(image, child);
        Assert.Equal("one\n", second.Instance!.Result!.Stdout.ToText());
        var records = _engine.Get<ImageStore>();
        Assert.Equal(child, records.Get(grandchild)!.ParentUuid);
        Assert.Equal(3, records.Get(grandchild)!.Layers.Count);
        Assert.Equal(second.Uuid, records.Get(grandchild)!.OperationId);
        Assert.False(await _engine.Backend.FileExistsInImageAsync(child, "/etc/hostname", TestContext.Current.CancellationToken));
        Assert.True(await _engine.Backend.FileExistsInImageAsync(image, "/etc/hostname", TestContext.Current.CancellationToken));
        var names = (await _engine.Backend.ListDirectoryAsync(grandchild, "/root", TestContext.Current.CancellationToken)).Files.Select(f => f.Path);
        Assert.Equal(["a", "b"], names);
        await using var stream = await _engine.Backend.DownloadFileAsync(grandchild, "root/b", TestContext.Current.CancellationToken);
        Assert.Equal("two\n", await new StreamReader(stream).ReadToEndAsync(TestContext.Current.CancellationToken));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_NotDisposableWithoutChanges_ResultIsInputImage()
    {
        var image = _engine.CreateBusyboxImage();

        var op = await _engine.RunAsync(new InstanceMetadata { Command = "ls /", Image = image, Shell = true });

        Assert.Equal(OperationStatus.Success, op.Status);
        Assert.Equal(image, op.Result!.Image);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_InjectedFile_ContentModeOwnerAndImageParentKept()
    {
        var image = _engine.CreateBusyboxImage();
        var file = await _engine.Backend.UploadFileAsync(new MemoryStream(Encoding.UTF8.GetBytes("#!/bin/sh\necho injected\n")), TestContext.Current.CancellationToken);

        var op = await _engine.RunAsync(new InstanceMetadata
        {
            Command = "/root/run.sh; stat -c '%a %u %g' /root/run.sh /root; cat /opt/new/data.txt",
            Image = image,
            Shell = true,
            Files = new Dictionary<string, InstanceFileSpec>
            {
                ["/root/run.sh"] = new() { Uuid = file.Uuid, Mode = "0755", Uid = 1000, Gid = 1000 },
                ["/opt/new/data.txt"] = new() { Uuid = file.Uuid, Mode = "0o644" },
            },
        });

        Assert.Equal(OperationStatus.Success, op.Status);
        Assert.Equal("injected\n755 1000 1000\n700 0 0\n#!/bin/sh\necho injected\n", op.Instance!.Result!.Stdout.ToText());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_ParallelRunsFromOneImage_EachGetsOwnChild()
    {
        var image = _engine.CreateBusyboxImage();

        var ops = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => _engine.RunAsync(new InstanceMetadata
        {
            Command = $"echo {i} > /root/n; cat /root/n",
            Image = image,
            Shell = true,
        })));

        Assert.All(ops, op => Assert.Equal(OperationStatus.Success, op.Status));
        Assert.Equal(6, ops.Select(o => o.Result!.Image).Distinct().Count());
        for (var i = 0; i < ops.Length; i++)
        {
            Assert.Equal($"{i}\n", ops[i].Instance!.Result!.Stdout.ToText());
            await using var stream = await _engine.Backend.DownloadFileAsync(ops[i].Result!.Image!, "/root/n", TestContext.Current.CancellationToken);
            Assert.Equal($"{i}\n", await new StreamReader(stream).ReadToEndAsync(TestContext.Current.CancellationToken));
        }
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Cancel_RunningSandbox_CancelledAndCleanedUp()
    {
        var image = _engine.CreateBusyboxImage();
        var id = await _engine.Backend.SpawnInstanceAsync(
            new InstanceMetadata { Command = "echo started > /tmp/s; sleep 600", Image = image, Shell = true, Timeout = 600 },
            TestContext.Current.CancellationToken);
        await WaitForStatusAsync(id, OperationStatus.Executing);

        await _engine.Backend.CancelOperationAsync(id, TestContext.Current.CancellationToken);
        await _engine.Backend.WaitForTerminalAsync(id, TestContext.Current.CancellationToken);

        var op = await _engine.Backend.GetOperationAsync(id, TestContext.Current.CancellationToken);
        Assert.Equal(OperationStatus.Cancelled, op.Status);
        Assert.False(Directory.Exists(Path.Combine(_engine.DataDirectory, "runs", id)));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_Timeout_SuccessMarkedTimedOut()
    {
        var image = _engine.CreateBusyboxImage();

        var op = await _engine.RunAsync(new InstanceMetadata { Command = "sleep 30", Image = image, Shell = true, Timeout = 1, Disposable = true });

        Assert.Equal(OperationStatus.Success, op.Status);
        Assert.True(op.Instance!.Result!.State.TimedOut);
        Assert.True(op.Duration < 20);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Spawn_ChainDeeperThanMaxDepth_SquashedIntoOneLayer()
    {
        await using var engine = new EngineFixture(o => o.MaxLayerDepth = 2);
        var image = engine.CreateBusyboxImage();

        var first = await engine.RunAsync(new InstanceMetadata { Command = "echo 1 > /root/one; rm /etc/group", Image = image, Shell = true });
        var second = await engine.RunAsync(new InstanceMetadata { Command = "echo 2 > /root/two; chmod 4755 /root/two", Image = first.Result!.Image!, Shell = true });
        var third = await engine.RunAsync(new InstanceMetadata
        {
            Command = "cat /root/one /root/two; stat -c %a /root/two; ls /etc",
            Image = second.Result!.Image!,
            Shell = true,
            Networking = new InstanceNetworking { Enabled = false }, // the internet would show its resolv.conf and hosts in /etc
        });

        var images = engine.Get<ImageStore>();
        Assert.Equal(2, images.Get(first.Result!.Image!)!.Layers.Count);
        Assert.Single(images.Get(second.Result!.Image!)!.Layers);
        Assert.Equal("1\n2\n4755\nhostname\npasswd\n", third.Instance!.Result!.Stdout.ToText());
    }

    [Theory]
    [InlineData("cwd")]
    [InlineData("timeout")]
    [InlineData("truncate_output_at")]
    [InlineData("args")]
    [InlineData("files")]
    [InlineData("mode")]
    public async Task Spawn_InvalidField_InvalidArgumentNamingField(string field)
    {
        var image = _engine.CreateBusyboxImage();
        var valid = new InstanceMetadata { Command = "true", Image = image };
        var request = field switch
        {
            "cwd" => valid with { Cwd = "relative" },
            "timeout" => valid with { Timeout = 0 },
            "truncate_output_at" => valid with { TruncateOutputAt = 100L * 1024 * 1024 },
            "args" => valid with { Shell = true, Args = ["x"] },
            "files" => valid with { Files = new Dictionary<string, InstanceFileSpec> { ["/x"] = new() { Uuid = Guid.NewGuid().ToString() } } },
            _ => valid with { Files = new Dictionary<string, InstanceFileSpec> { ["/x"] = new() { Uuid = Guid.NewGuid().ToString(), Mode = "rwx" } } },
        };

        var error = await Assert.ThrowsAsync<ContreeException>(() => _engine.Backend.SpawnInstanceAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains(field, error.Message, StringComparison.Ordinal);
        Assert.Empty((await _engine.Backend.ListOperationsAsync(new OperationListQuery(), TestContext.Current.CancellationToken)).Operations);
    }

    [Fact]
    public async Task Spawn_UnknownImage_NotFound()
    {
        var uuid = Guid.NewGuid().ToString("D");

        var error = await Assert.ThrowsAsync<ContreeException>(() =>
            _engine.Backend.SpawnInstanceAsync(new InstanceMetadata { Command = "true", Image = uuid }, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.NotFound, error.Kind);
        Assert.Equal($"image {uuid} not found", error.Message);
    }

    private async Task WaitForStatusAsync(string id, OperationStatus status)
    {
        // The runtime gives no hook for "sandbox started"; the persisted status is the observable signal.
        while ((await _engine.Backend.GetOperationAsync(id, TestContext.Current.CancellationToken)).Status != status)
        {
            await Task.Yield();
            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        }
    }
}
