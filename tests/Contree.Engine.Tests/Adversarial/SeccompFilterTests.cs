using Contree.Engine.Runtime.Seccomp;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Adversarial;

public sealed class SeccompFilterTests
{
    /// <summary>struct sock_filter is 8 bytes; the kernel refuses programs over BPF_MAXINSNS (4096) instructions.</summary>
    [Fact]
    public void Compile_GivesAProgramTheKernelAccepts()
    {
        using var scratch = new TestDirectory();

        var program = SeccompFilter.Compile(scratch.Path);

        Assert.Equal(0, program.Length % 8);
        Assert.InRange(program.Length / 8, 100, 4096);
        Assert.Empty(Directory.GetFiles(scratch.Path));
    }
}
