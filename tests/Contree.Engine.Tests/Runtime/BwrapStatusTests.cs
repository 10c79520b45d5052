using Contree.Engine.Runtime;

namespace Contree.Engine.Tests.Runtime;

public sealed class BwrapStatusTests : IDisposable
{
    private readonly string _path = Path.Combine(Path.GetTempPath(), "bwrap-status-" + Guid.NewGuid().ToString("N"));

    [Theory]
    [InlineData("{ \"child-pid\": 12 }\n{ \"exit-code\": 0 }\n", true, 0)]
    [InlineData("{ \"child-pid\": 12 }\n{ \"exit-code\": 137 }\n", true, 137)]
    [InlineData("{ \"child-pid\": 12 }\n", true, null)]
    [InlineData("{ \"child-pid\": 12 }\n{ \"exit-co", true, null)]
    [InlineData("{ \"child-p", false, null)]
    [InlineData("", false, null)]
    public void Read_ReturnsWhatBwrapReported(string text, bool started, int? exitCode)
    {
        File.WriteAllText(_path, text);

        Assert.Equal(new BwrapReport(started, exitCode), BwrapStatus.Read(_path));
    }

    [Fact]
    public void Read_MissingFile_ReportsNothing() => Assert.Equal(default, BwrapStatus.Read(_path));

    public void Dispose() => File.Delete(_path);
}
