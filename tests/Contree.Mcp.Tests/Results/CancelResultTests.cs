using Contree.Core.Models;
using Contree.Mcp.Results;

namespace Contree.Mcp.Tests.Results;

/// <summary>cancel_operation's answer for each state the Contree service reports after a cancel.</summary>
public sealed class CancelResultTests
{
    private static OperationResponse Operation(OperationStatus status) => new() { Uuid = "op-1", Kind = OperationKind.Instance, Status = status };

    [Theory]
    [InlineData(OperationStatus.Pending)]
    [InlineData(OperationStatus.Assigned)]
    [InlineData(OperationStatus.Executing)]
    public void From_NotTerminal_SaysNotStoppedYet(OperationStatus status)
    {
        var result = CancelResult.From(Operation(status), TimeSpan.FromSeconds(5), "contree_get_operation");

        Assert.False(result.Cancelled);
        Assert.Equal(status.ToWire(), result.Status);
        Assert.StartsWith("Cancel was requested, but the operation had not stopped after 5 s", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(OperationStatus.Success)]
    [InlineData(OperationStatus.Failed)]
    public void From_AlreadyFinished_SaysSoWithTheFinalState(OperationStatus status)
    {
        var result = CancelResult.From(Operation(status), TimeSpan.FromSeconds(5), "contree_get_operation");

        Assert.False(result.Cancelled);
        Assert.Equal($"The operation had already ended with status {status.ToWire()}; nothing was cancelled. Its result is available from contree_get_operation.", result.Message);
    }
}
