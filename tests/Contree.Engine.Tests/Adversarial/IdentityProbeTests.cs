using Contree.Engine.Storage;
using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>
/// Root inside is nobody outside: the sandbox's ids 0 to 65535 are host ids 0x70000000 and up, which no host user owns,
/// so host root's files, processes and keyrings are out of its reach, and what it writes belongs to that range.
/// </summary>
public sealed class IdentityProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task IdMaps_ShowOnlyTheSandboxRange()
    {
        var result = await fixture.RunAsync(fixture.Request("cat /proc/self/uid_map /proc/self/gid_map; id -u; id -g"));

        var lines = SandboxFixture.Text(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Select(static line => string.Join(' ', line.Split(' ', StringSplitOptions.RemoveEmptyEntries)));
        Assert.Equal(["0 0 65536", "0 0 65536", "0", "0"], lines);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Command_RunsAsAnUnprivilegedHostId()
    {
        var marker = Random.Shared.Next(100_000, 999_999).ToString(System.Globalization.CultureInfo.InvariantCulture);
        using var cancellation = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        var run = fixture.Runtime.RunAsync(fixture.Request($"exec sleep {marker}"), cancellation.Token);
        try
        {
            var status = await WaitForStatusAsync($"sleep\0{marker}\0");

            var ids = status.Where(static l => l.StartsWith("Uid:", StringComparison.Ordinal) || l.StartsWith("Gid:", StringComparison.Ordinal));
            Assert.Equal([$"Uid:\t{SandboxIds.Base}\t{SandboxIds.Base}\t{SandboxIds.Base}\t{SandboxIds.Base}", $"Gid:\t{SandboxIds.Base}\t{SandboxIds.Base}\t{SandboxIds.Base}\t{SandboxIds.Base}"], ids);
            Assert.Equal("Groups:\t", status.Single(static l => l.StartsWith("Groups:", StringComparison.Ordinal)).TrimEnd(' '));
        }
        finally
        {
            await cancellation.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => run);
        }
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task FilesWritten_BelongToTheRangeOnTheHost()
    {
        var result = await fixture.RunAsync(fixture.Request("touch /root-file && touch /user-file && chown 1000:2000 /user-file && ls -ln /root-file"));

        Assert.Equal(0, result.State.ExitCode);
        Assert.Equal($"{SandboxIds.Base}:{SandboxIds.Base}", SandboxFixture.Host("/usr/bin/stat", "-c", "%u:%g", Path.Combine(result.UpperDirectory, "root-file")).Trim());
        Assert.Equal($"{SandboxIds.Base + 1000}:{SandboxIds.Base + 2000}", SandboxFixture.Host("/usr/bin/stat", "-c", "%u:%g", Path.Combine(result.UpperDirectory, "user-file")).Trim());
    }

    /// <summary>Host root's files (the bound device nodes, /proc/sys) are nobody's inside: no DAC override reaches them.</summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task HostRootFiles_AreNobodysAndStayClosed()
    {
        var result = await fixture.RunAsync(fixture.Request(
            "stat -c '%u:%g' /dev/null /proc/sys/kernel/hostname; chmod 600 /dev/null 2>/dev/null && echo chmod-worked; " +
            "echo 1 2>/dev/null > /proc/sys/kernel/hostname && echo sysctl-written; cat /proc/1/environ > /dev/null && echo own-environ"));

        Assert.Equal("65534:65534\n65534:65534\nown-environ\n", SandboxFixture.Text(result.Stdout));
    }

    private static async Task<string[]> WaitForStatusAsync(string cmdline)
    {
        for (var attempt = 0; attempt < 200; attempt++)
        {
            foreach (var directory in Directory.GetDirectories("/proc"))
            {
                try
                {
                    if (File.ReadAllText(Path.Combine(directory, "cmdline")) == cmdline)
                    {
                        return File.ReadAllLines(Path.Combine(directory, "status"));
                    }
                }
                catch (IOException)
                {
                    // Gone between the listing and the read.
                }
                catch (UnauthorizedAccessException)
                {
                }
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        throw new InvalidOperationException($"no process with command line '{cmdline.Replace('\0', ' ')}' showed up");
    }
}
