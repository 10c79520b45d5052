using Contree.Core.Errors;
using Contree.Engine.Runtime;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging.Abstractions;

namespace Contree.Engine.Tests.Runtime;

/// <summary>A host that cannot execute bubblewrap: the run fails with an error saying what to install, not a host path.</summary>
public sealed class BubblewrapRuntimeStartErrorTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData(false)]
    [InlineData(true)]
    public async Task RunAsync_BubblewrapMissingOrNotExecutable_IsUnavailableNamingThePackage(bool exists)
    {
        var bwrap = Path.Combine(fixture.Root, $"bwrap-{Guid.NewGuid():N}");
        if (exists)
        {
            await File.WriteAllTextAsync(bwrap, "#!/bin/sh\nexit 0\n", TestContext.Current.CancellationToken);
            File.SetUnixFileMode(bwrap, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        using var runtime = new BubblewrapRuntime(
            new RuntimeOptions { BubblewrapPath = bwrap, CgroupName = fixture.Options.CgroupName }, NullLogger<BubblewrapRuntime>.Instance);
        var request = fixture.Request("echo never");

        var error = await Assert.ThrowsAsync<ContreeException>(() => runtime.RunAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.Equal(
            "the sandbox could not be started: this host cannot execute bubblewrap (bwrap); install the 'bubblewrap' package and retry (the server log names the program that failed)",
            error.Message);
        Assert.Contains(bwrap, error.InnerException!.Message, StringComparison.Ordinal);
        Assert.False(fixture.LeftMountPoint(request), "the overlay must be taken down");
    }

    /// <summary>
    /// A program of the launch chain failing before bwrap: an internal error (the agent sees only its id) that carries
    /// what the program said; none of it lands in the command's stderr.
    /// </summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_LaunchChainFailsBeforeBwrap_IsInternalWithTheDetailsLogged()
    {
        var nsenter = Path.Combine(fixture.Root, $"nsenter-{Guid.NewGuid():N}");
        await File.WriteAllTextAsync(nsenter, "#!/bin/sh\ncase \"$*\" in *setpriv*) echo 'nsenter: secret host detail' >&2; exit 1;; esac\nexec /usr/bin/nsenter \"$@\"\n", TestContext.Current.CancellationToken);
        File.SetUnixFileMode(nsenter, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        using var runtime = new BubblewrapRuntime(
            new RuntimeOptions { NsenterPath = nsenter, CgroupName = fixture.Options.CgroupName }, NullLogger<BubblewrapRuntime>.Instance);
        var request = fixture.Request("echo never");

        var error = await Assert.ThrowsAsync<ContreeException>(() => runtime.RunAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.Internal, error.Kind);
        Assert.Contains("nsenter: secret host detail", error.InnerException!.Message, StringComparison.Ordinal);
        Assert.False(fixture.LeftMountPoint(request), "the overlay must be taken down");
        Assert.False(File.Exists(Path.Combine(request.RunDirectory, "launch-log")), "the launch log must be removed");
    }
}
