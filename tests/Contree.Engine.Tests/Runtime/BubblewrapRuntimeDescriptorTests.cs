using Contree.Tests.Common;

namespace Contree.Engine.Tests.Runtime;

/// <summary>Counts this process's descriptors, so it runs alone: other tests' sandboxes would open pipes meanwhile.</summary>
[CollectionDefinition(nameof(BubblewrapRuntimeDescriptorTests), DisableParallelization = true)]
[Collection(nameof(BubblewrapRuntimeDescriptorTests))]
public sealed class BubblewrapRuntimeDescriptorTests(SandboxFixture fixture) : IClassFixture<SandboxFixture>
{
    private const int Runs = 20;

    public static bool CanRun => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task RunAsync_ManyRuns_ClosesEveryPipeWithoutWaitingForTheGarbageCollector()
    {
        await fixture.RunAsync(fixture.Request("true"));
        var before = OpenPipes();

        for (var i = 0; i < Runs; i++)
        {
            var result = await fixture.RunAsync(fixture.Request("echo out; echo err >&2") with { Stdin = "in"u8.ToArray() });
            Assert.Equal(0, result.State.ExitCode);
        }

        // No GC.Collect here: descriptors left to finalizers are exactly what this test is after.
        var grown = OpenPipes() - before;
        Assert.True(grown <= 2, $"{grown} more pipe descriptors are open after {Runs} runs (a run that leaves its stdio pipes to finalizers adds one or two)");
    }

    private static int OpenPipes() =>
        new DirectoryInfo("/proc/self/fd").EnumerateFileSystemInfos().Count(static fd => fd.LinkTarget?.StartsWith("pipe:", StringComparison.Ordinal) == true);
}
