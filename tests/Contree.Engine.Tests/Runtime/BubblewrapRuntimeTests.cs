using System.Text;
using Contree.Core.Errors;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Runtime;

public sealed class BubblewrapRuntimeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_EchoAndExitCode_ReturnsOutputAndCode()
    {
        var result = await fixture.RunAsync(fixture.Request("echo hi; echo oops >&2; exit 3"));

        Assert.Equal("hi\n", SandboxFixture.Text(result.Stdout));
        Assert.Equal("oops\n", SandboxFixture.Text(result.Stderr));
        Assert.Equal(3, result.State.ExitCode);
        Assert.False(result.State.TimedOut);
        Assert.False(result.StdoutTruncated);
        Assert.True(result.Resources.ElapsedTime > 0);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_Stdin_IsFedToCommand()
    {
        var request = fixture.Request("tr a-z A-Z") with { Stdin = Encoding.UTF8.GetBytes("hello stdin") };

        var result = await fixture.RunAsync(request);

        Assert.Equal("HELLO STDIN", SandboxFixture.Text(result.Stdout));
        Assert.Equal(0, result.State.ExitCode);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_LargeStdinNotRead_CompletesWithExitCode()
    {
        var request = fixture.Request("echo ignored-input; exit 4") with { Stdin = new byte[4 * 1024 * 1024] };

        var result = await fixture.RunAsync(request);

        Assert.Equal(4, result.State.ExitCode);
        Assert.Equal("ignored-input\n", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_LargeStdin_IsReadCompletely()
    {
        var request = fixture.Request("wc -c") with { Stdin = new byte[3 * 1024 * 1024 + 7] };

        var result = await fixture.RunAsync(request);

        Assert.Equal((3 * 1024 * 1024 + 7).ToString(System.Globalization.CultureInfo.InvariantCulture), SandboxFixture.Text(result.Stdout).Trim());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_Env_IsCleanPlusGivenAndDefaultPath()
    {
        var marker = "v" + Guid.NewGuid().ToString("N");
        Environment.SetEnvironmentVariable("CONTREE_HOST_ONLY", marker);
        var request = fixture.Request("env") with { Env = new Dictionary<string, string> { ["FOO"] = "bar baz", ["EMPTY"] = string.Empty } };

        var result = await fixture.RunAsync(request);

        var lines = SandboxFixture.Text(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Contains("FOO=bar baz", lines);
        Assert.Contains("EMPTY=", lines);
        Assert.Contains(lines, l => l.StartsWith("PATH=", StringComparison.Ordinal) && l.Contains("/bin", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.Contains(marker, StringComparison.Ordinal));
        Assert.DoesNotContain(lines, l => l.StartsWith("HOME=", StringComparison.Ordinal));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_Cwd_StartsThere()
    {
        var result = await fixture.RunAsync(fixture.Request("pwd") with { Cwd = "/tmp" });

        Assert.Equal("/tmp\n", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_MissingCwd_IsCreatedLikeDockerWorkdir()
    {
        var result = await fixture.RunAsync(fixture.Request("pwd; stat -c %a /does/not") with { Cwd = "/does/not/exist" });

        Assert.Equal(0, result.State.ExitCode);
        Assert.Equal("/does/not/exist\n755\n", SandboxFixture.Text(result.Stdout));
        Assert.True(result.FilesystemChanged);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_CwdIsAFile_IsAnInvalidArgument()
    {
        var error = await Assert.ThrowsAsync<ContreeException>(() => fixture.RunAsync(fixture.Request("pwd") with { Cwd = "/etc/passwd" }));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("/etc/passwd", error.Message, StringComparison.Ordinal);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_Hostname_DefaultsToLinuxkitOrUsesGiven()
    {
        var byDefault = await fixture.RunAsync(fixture.Request("hostname"));
        var custom = await fixture.RunAsync(fixture.Request("hostname") with { Hostname = "box-7" });

        Assert.Equal("linuxkit\n", SandboxFixture.Text(byDefault.Stdout));
        Assert.Equal("box-7\n", SandboxFixture.Text(custom.Stdout));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_ShellFalse_PassesArgumentsVerbatim()
    {
        string[] args = ["printf", "[%s]", "a b", "it's", "\"q\"", "$HOME", "*", ""];
        var request = fixture.Request("/bin/busybox", shell: false) with { Args = args };

        var result = await fixture.RunAsync(request);

        Assert.Equal("[a b][it's][\"q\"][$HOME][*][]", SandboxFixture.Text(result.Stdout));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_MissingCommandShellFalse_ExitsLikeAShellWith127()
    {
        var result = await fixture.RunAsync(fixture.Request("/no/such/binary", shell: false));

        Assert.Equal(127, result.State.ExitCode);
        Assert.Contains("/no/such/binary", SandboxFixture.Text(result.Stderr), StringComparison.Ordinal);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_InvalidEnvName_ThrowsInvalidArgument()
    {
        var request = fixture.Request("true") with { Env = new Dictionary<string, string> { ["A=B"] = "x" } };

        var error = await Assert.ThrowsAsync<ContreeException>(() => fixture.Runtime.RunAsync(request, TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("A=B", error.Message, StringComparison.Ordinal);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_EightInParallelOnOneLayer_AllSucceed()
    {
        var runs = Enumerable.Range(0, 8)
            .Select(i => fixture.RunAsync(fixture.Request($"echo run-{i} > /tmp/own; cat /tmp/own")))
            .ToArray();

        var results = await Task.WhenAll(runs);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"run-{i}\n", SandboxFixture.Text(results[i].Stdout));
            Assert.Equal(0, results[i].State.ExitCode);
            Assert.True(File.Exists(Path.Combine(results[i].UpperDirectory, "tmp", "own")));
        }

        Assert.False(File.Exists(Path.Combine(fixture.Lower, "tmp", "own")));
    }
}
