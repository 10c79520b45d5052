using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>Instances (E15): commands, their inputs and outputs, and the images non-disposable runs produce.</summary>
public abstract partial class ContreeBackendConformanceTests
{
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_Echo_StdoutAndExitCodeZero()
    {
        var op = await RunShellAsync("echo hello conformance");

        var result = AssertInstanceSucceeded(op);
        Assert.Equal("hello conformance\n", result.Stdout.ToText());
        Assert.Equal("", result.Stderr.ToText());
        Assert.False(result.State.TimedOut);
        Assert.False(result.Stdout.Truncated);
        Assert.Equal(BaseImage, op.Instance!.Image);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_NonZeroExit_SuccessCarryingExitCode()
    {
        var op = await RunShellAsync("echo failing >&2; exit 42");

        var result = AssertInstanceSucceeded(op, exitCode: 42);
        Assert.Equal("failing\n", result.Stderr.ToText());
        Assert.True(string.IsNullOrEmpty(op.Error), $"a non-zero exit code is a result, not an error: {op.Error}");
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_Stdin_FedToCommand()
    {
        var op = await RunAsync(new InstanceMetadata
        {
            Command = "tr a-z A-Z",
            Image = BaseImage,
            Shell = true,
            Disposable = true,
            Stdin = StreamPayload.FromText("from stdin\nsecond line\n"),
        });

        Assert.Equal("FROM STDIN\nSECOND LINE\n", AssertInstanceSucceeded(op).Stdout.ToText());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_EnvAndCwd_AppliedOnTopOfImageEnv()
    {
        var op = await RunAsync(new InstanceMetadata
        {
            Command = "echo \"$REQUEST_VAR|$CONFORMANCE|$(pwd)\"",
            Image = BaseImage,
            Shell = true,
            Disposable = true,
            Cwd = "/tmp",
            Env = new Dictionary<string, string> { ["REQUEST_VAR"] = "with spaces & $symbols" },
        });

        Assert.Equal("with spaces & $symbols|from-image|/tmp\n", AssertInstanceSucceeded(op).Stdout.ToText());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_ShellFalseWithArgs_ArgumentsPassedVerbatim()
    {
        var op = await RunAsync(new InstanceMetadata
        {
            Command = "/bin/echo",
            Args = ["two  spaces", "$HOME", "semi;colon", "'quoted'"],
            Image = BaseImage,
            Shell = false,
            Disposable = true,
        });

        Assert.Equal("two  spaces $HOME semi;colon 'quoted'\n", AssertInstanceSucceeded(op).Stdout.ToText());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_NotDisposableWithChange_NewImageInspectableAndChainable()
    {
        var first = await RunShellAsync("mkdir -p /work && echo one > /work/a", disposable: false);
        AssertInstanceSucceeded(first);
        var child = first.Result?.Image;
        Assert.False(string.IsNullOrEmpty(child), "a run that changed files must produce an image");
        Assert.NotEqual(BaseImage, child);

        var second = await RunShellAsync("cat /work/a && echo two > /work/b", image: child, disposable: false);
        var grandchild = second.Result?.Image;

        Assert.Equal("one\n", AssertInstanceSucceeded(second).Stdout.ToText());
        Assert.False(string.IsNullOrEmpty(grandchild));
        Assert.NotEqual(child, grandchild);
        Assert.Equal(["a"], (await Backend.ListDirectoryAsync(child, "/work", Token)).Files.Select(f => f.Path));
        Assert.Equal(["a", "b"], (await Backend.ListDirectoryAsync(grandchild, "/work", Token)).Files.Select(f => f.Path).Order());
        await using (var stream = await Backend.DownloadFileAsync(grandchild, "/work/b", Token))
        {
            Assert.Equal("two\n", await new StreamReader(stream).ReadToEndAsync(Token));
        }

        Assert.False(await Backend.FileExistsInImageAsync(BaseImage, "/work/a", Token), "the base image must not change");
        Assert.False(await Backend.FileExistsInImageAsync(child, "/work/b", Token), "the parent image must not change");
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_NotDisposableWithoutChange_ResultIsInputImage()
    {
        var op = await RunShellAsync("cat /etc/hostname > /dev/null", disposable: false);

        AssertInstanceSucceeded(op);
        Assert.Equal(BaseImage, op.Result?.Image);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_DisposableWithChange_NoNewImage()
    {
        var op = await RunShellAsync("echo discarded > /root/discarded", disposable: true);

        AssertInstanceSucceeded(op);
        Assert.True(op.Result?.Image is null || op.Result.Image == BaseImage, $"a disposable run must not produce an image, got {op.Result?.Image}");
        Assert.False(await Backend.FileExistsInImageAsync(BaseImage, "/root/discarded", Token));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_OutputBeyondLimit_TruncatedAtLimit()
    {
        var op = await RunAsync(new InstanceMetadata
        {
            Command = "yes x | head -c 5000",
            Image = BaseImage,
            Shell = true,
            Disposable = true,
            TruncateOutputAt = 100,
        });

        var result = AssertInstanceSucceeded(op);
        Assert.True(result.Stdout.Truncated);
        Assert.Equal(100, result.Stdout.ToBytes().Length);
        Assert.False(result.Stderr.Truncated);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_RelativeCwd_InvalidArgument()
    {
        var error = await Assert.ThrowsAsync<ContreeException>(() => Backend.SpawnInstanceAsync(
            new InstanceMetadata { Command = "pwd", Image = BaseImage, Shell = true, Cwd = "relative/dir" },
            Token));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("relative/dir", error.Message, StringComparison.Ordinal);
    }
}
