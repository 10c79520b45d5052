using Contree.Engine.Runtime;

namespace Contree.Engine.Tests.Runtime;

public sealed class BwrapStatusTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "bwrap-status-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("{ \"child-pid\": 12 }\n{ \"exit-code\": 0 }\n", 0)]
    [InlineData("{ \"child-pid\": 12 }\n{ \"exit-code\": 137 }\n", 137)]
    [InlineData("{ \"child-pid\": 12 }\n", null)]
    [InlineData("{ \"child-pid\": 12 }\n{ \"exit-co", null)]
    [InlineData("", null)]
    public void ReadExitCode_ReturnsTheReportedCode(string text, int? expected)
    {
        File.WriteAllText(_path, text);

        Assert.Equal(expected, BwrapStatus.ReadExitCode(_path));
    }

    [Fact]
    public void ReadExitCode_MissingFile_IsNull() => Assert.Null(BwrapStatus.ReadExitCode(_path));

    public void Dispose() => File.Delete(_path);
}
