using Contree.Core.Models;
using Contree.Mcp.Rendering;

namespace Contree.Mcp.Tests.Rendering;

public sealed class OperationRendererTests
{
    private static OperationResponse Instance(OperationStatus status, ProcessExitState? state) => new()
    {
        Uuid = "op-1",
        Kind = OperationKind.Instance,
        Status = status,
        Metadata = new InstanceMetadata
        {
            Command = "true",
            Image = "img",
            Timeout = 45,
            Result = state is null ? null : new InstanceResult { State = state, Stdout = StreamPayload.Empty, Stderr = StreamPayload.Empty },
        },
    };

    [Theory]
    [InlineData(2, 2, null)]
    [InlineData(2, 451, true)]
    public void Render_FilesystemChanges_ListedWithTheTotalAndATruncationMarkerOnlyWhenCapped(int listed, int total, bool? truncated)
    {
        var operation = Instance(OperationStatus.Success, new ProcessExitState());
        var changes = Enumerable.Range(0, listed).Select(i => new FilesystemChange($"/f{i}", FilesystemChangeKinds.Added, i)).ToList();
        var instance = (InstanceMetadata)operation.Metadata!;
        operation = operation with { Metadata = instance with { Result = instance.Result! with { FilesystemChanges = changes, FilesystemChangesTotal = total } } };

        var view = OperationRenderer.Render(operation);

        Assert.Equal(changes, view.FilesystemChanges);
        Assert.Equal(total, view.FilesystemChangesTotal);
        Assert.Equal(truncated, view.FilesystemChangesTruncated);
    }

    [Fact]
    public void Render_EngineReportsMemoryLimit_EndedByAndHintNameTheSetting()
    {
        var view = OperationRenderer.Render(Instance(OperationStatus.Success, new ProcessExitState { ExitCode = 137, Signal = 9, EndedBy = RunEnd.MemoryLimit }));

        Assert.Equal(RunEnd.MemoryLimit, view.EndedBy);
        Assert.Contains("--engine-memory-limit", view.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_BackendWithoutEndedBy_DerivesTimeLimitWithTheTimeoutInTheHint()
    {
        var view = OperationRenderer.Render(Instance(OperationStatus.Success, new ProcessExitState { ExitCode = -1, TimedOut = true }));

        Assert.Equal(RunEnd.TimeLimit, view.EndedBy);
        Assert.Contains("45 s", view.Hint, StringComparison.Ordinal);
    }

    [Fact]
    public void Render_CommandThatExited137ByItself_HasNoHint()
    {
        var view = OperationRenderer.Render(Instance(OperationStatus.Success, new ProcessExitState { ExitCode = 137, Signal = 9, EndedBy = RunEnd.Exited }));

        Assert.Equal(RunEnd.Exited, view.EndedBy);
        Assert.Null(view.Hint);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Render_Cancelled_IsEndedByCancelled(bool hasResult)
    {
        var view = OperationRenderer.Render(Instance(OperationStatus.Cancelled, hasResult ? new ProcessExitState { ExitCode = 137 } : null));

        Assert.Equal(RunEnd.Cancelled, view.EndedBy);
        Assert.NotNull(view.Hint);
    }

    [Fact]
    public void Render_Running_HasNoEndedBy()
    {
        Assert.Null(OperationRenderer.Render(Instance(OperationStatus.Executing, null)).EndedBy);
    }
}
