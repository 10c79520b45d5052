namespace Contree.Tests.Common;

/// <summary>A <see cref="TestInternet"/> per test class, made only where the network tests can run.</summary>
public sealed class TestInternetFixture : IDisposable
{
    public TestInternetFixture()
    {
        if (HostRequirements.CanRunNetwork)
        {
            Internet = new TestInternet();
        }
    }

    /// <summary>Null where <see cref="HostRequirements.CanRunNetwork"/> is false (the tests skip there).</summary>
    public TestInternet? Internet { get; }

    public void Dispose() => Internet?.Dispose();
}
