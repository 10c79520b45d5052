using Contree.Engine.Interop;
using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>Nothing of the engine reaches the command: no inherited descriptors beyond stdio, no handle on host files.</summary>
public sealed class EngineLeakProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRunProbes => HostRequirements.CanRunProbes;

    /// <summary>
    /// Only stdio, and fd 3: bwrap 0.8 keeps the user namespace descriptor it was given open, but that is the sandbox's
    /// own user namespace (asserted here), and setns is refused by the seccomp filter anyway. The test process's own
    /// inherited descriptors (a test runner's pipes) must not reach the command.
    /// </summary>
    [Fact(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRunProbes))]
    public async Task Command_InheritsOnlyStdioAndItsOwnUserNamespace()
    {
        // Opened without O_CLOEXEC, like a descriptor the engine inherited from the program that started it.
        var leaked = Libc.Open("/dev/null", Libc.O_RDONLY, 0);
        Assert.True(leaked > 2);
        try
        {
            var request = fixture.Request("syscall-probe fds; readlink /proc/self/ns/user; readlink /proc/$$/fd/3") with
            {
                LowerDirectories = [ProbeLayer.Directory, fixture.Lower],
            };

            var result = await fixture.RunAsync(request);

            var lines = SandboxFixture.Text(result.Stdout).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            Assert.True(lines.Length == 6, string.Join(" | ", lines));
            Assert.Equal(["0", "1", "2", "3"], lines[..4]);
            Assert.Equal(lines[4], lines[5]);
        }
        finally
        {
            _ = Libc.Close(leaked);
        }
    }
}
