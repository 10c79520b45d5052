using Contree.Core.Models;
using Contree.Mcp.Operations;

namespace Contree.Mcp.Tests.Operations;

public sealed class TerminalStateCacheTests
{
    private static OperationResponse State(string id, int outputChars = 0) => new()
    {
        Uuid = id,
        Status = OperationStatus.Success,
        Kind = OperationKind.Instance,
        Metadata = new InstanceMetadata
        {
            Command = "echo",
            Image = "image",
            Result = new InstanceResult { Stdout = new StreamPayload { Value = new string('x', outputChars) }, Stderr = StreamPayload.Empty },
        },
    };

    [Fact]
    public void GetOrAdd_BeyondCapacity_EvictsTheLeastRecentlyUsed()
    {
        var cache = new TerminalStateCache(capacity: 3);
        cache.GetOrAdd(State("a"));
        cache.GetOrAdd(State("b"));
        cache.GetOrAdd(State("c"));
        Assert.True(cache.TryGet("a", out _));

        cache.GetOrAdd(State("d"));

        Assert.Equal(3, cache.Count);
        Assert.True(cache.Contains("a"));
        Assert.False(cache.Contains("b"));
        Assert.True(cache.Contains("c"));
        Assert.True(cache.Contains("d"));
    }

    [Fact]
    public void GetOrAdd_SameOperationTwice_KeepsTheFirstState()
    {
        var cache = new TerminalStateCache();
        var first = State("a");

        cache.GetOrAdd(first);
        var second = cache.GetOrAdd(State("a") with { Status = OperationStatus.Failed });

        Assert.Same(first, second);
        Assert.Equal(1, cache.Count);
    }

    [Fact]
    public void GetOrAdd_ByteBudget_HoldsOutputUpToTheBudgetAndNeverAHeavyState()
    {
        var cache = new TerminalStateCache(capacity: 100, maxBytes: 10 * 210_000, maxEntryBytes: 500_000);

        for (var i = 0; i < 50; i++)
        {
            cache.GetOrAdd(State($"op-{i}", outputChars: 100_000));
        }

        var heavy = State("heavy", outputChars: 300_000);
        var returned = cache.GetOrAdd(heavy);

        Assert.InRange(cache.Bytes, 1, cache.MaxBytes);
        Assert.Equal(10, cache.Count);
        Assert.True(cache.Contains("op-49"));
        Assert.False(cache.Contains("op-39"));
        Assert.Same(heavy, returned);
        Assert.False(cache.Contains("heavy"));
    }
}
