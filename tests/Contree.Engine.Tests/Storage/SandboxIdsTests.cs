using Contree.Core.Errors;
using Contree.Engine.Storage;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Storage;

public sealed class SandboxIdsTests : IDisposable
{
    private readonly TestDirectory _etc = new("contree-etc");

    public void Dispose() => _etc.Dispose();

    [Theory]
    [InlineData(0, 0x70000000u)]
    [InlineData(65535, 0x7000FFFFu)]
    [InlineData(65536, 0x7000FFFEu)]
    [InlineData(-1, 0x7000FFFEu)]
    public void ToHost_ImageIdsInRangeShift_OthersBecomeNobody(long imageId, uint hostId) => Assert.Equal(hostId, SandboxIds.ToHost(imageId));

    [Theory]
    [InlineData(0x70000000L, 0L)]
    [InlineData(0x7000FFFFL, 65535L)]
    [InlineData(0L, 65534L)]
    [InlineData(0x70010000L, 65534L)]
    public void ToImage_HostIdsOutsideTheRangeReadAsNobody(long hostId, long imageId) => Assert.Equal(imageId, SandboxIds.ToImage(hostId));

    [Fact]
    public void CheckHost_UsualSystemFiles_Pass()
    {
        Write("passwd", "root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/nonexistent:/usr/sbin/nologin\n");
        Write("group", "root:x:0:\n");
        Write("subuid", "alice:100000:65536\n");

        SandboxIds.CheckHost(_etc.Path);
    }

    [Theory]
    [InlineData("passwd", "svc:x:1879048200:100::/:/bin/false\n", "'svc'")]
    [InlineData("group", "grp:x:1879113727:\n", "'grp'")]
    [InlineData("subuid", "bob:1879000000:100000\n", "'bob'")]
    [InlineData("subgid", "carol:1879113727:1\n", "'carol'")]
    public void CheckHost_SomethingInTheRange_UnavailableNamingIt(string file, string content, string named)
    {
        Write(file, content);

        var error = Assert.Throws<ContreeException>(() => SandboxIds.CheckHost(_etc.Path));

        Assert.Equal(ContreeErrorKind.Unavailable, error.Kind);
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_etc.Path, file), error.Message, StringComparison.Ordinal);
    }

    private void Write(string name, string content) => File.WriteAllText(Path.Combine(_etc.Path, name), content);
}
