using Contree.Engine.Interop;
using Contree.Engine.Tests.Runtime;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

/// <summary>Nothing of the engine reaches the command: no inherited descriptors beyond stdio, no handle on host files.</summary>
public sealed class EngineLeakProbeTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    public static bool CanRunProbes => HostRequirements.CanRunProbes;

    /// <summary>
    /// Only stdio: not the user namespace descriptor (bwrap 0.8 keeps one given with --userns open, so the chain joins the
    /// namespace with nsenter instead), nor a descriptor the engine inherited, like a test runner's pipes.
    /// </summary>
    [Fact(Skip = HostRequirements.ProbeSkipReason, SkipUnless = nameof(CanRunProbes))]
    public async Task Command_InheritsOnlyStdio()
    {
        // Opened without O_CLOEXEC, like a descriptor the engine inherited from the program that started it.
        var leaked = Libc.Open("/dev/null", Libc.O_RDONLY, 0);
        Assert.True(leaked > 2);
        try
        {
            var request = fixture.Request("syscall-probe", shell: false) with
            {
                Args = ["fds"],
                LowerDirectories = [ProbeLayer.Directory, fixture.Lower],
            };

            var result = await fixture.RunAsync(request);

            Assert.Equal("0\n1\n2\n", SandboxFixture.Text(result.Stdout));
        }
        finally
        {
            _ = Libc.Close(leaked);
        }
    }
}
