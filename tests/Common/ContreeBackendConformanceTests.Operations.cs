using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>Operations (E16–E18): time limits, cancellation and listing with filters.</summary>
public abstract partial class ContreeBackendConformanceTests
{
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_BeyondTimeout_TimedOutWithPartialOutput()
    {
        var op = await RunAsync(new InstanceMetadata
        {
            Command = "echo before-timeout; sleep 30; echo after-timeout",
            Image = BaseImage,
            Shell = true,
            Disposable = true,
            Timeout = 1,
        });

        Assert.True(op.Status == OperationStatus.Success, $"a timed-out command is a result: {op.Status} {op.Error}");
        var result = op.Instance!.Result!;
        Assert.True(result.State.TimedOut);
        Assert.Equal("before-timeout\n", result.Stdout.ToText());
        Assert.InRange(op.Duration, 0.5, 20);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task CancelOperation_LongRun_Cancelled()
    {
        var id = await Backend.SpawnInstanceAsync(
            new InstanceMetadata { Command = "sleep 600", Image = BaseImage, Shell = true, Disposable = true, Timeout = 600 },
            Token);
        var started = await WaitUntilExecutingAsync(id);
        Assert.Equal(OperationStatus.Executing, started.Status);

        await Backend.CancelOperationAsync(id, Token);
        var op = await WaitTerminalAsync(Backend, id, Token);
        await Backend.CancelOperationAsync(id, Token);

        Assert.Equal(OperationStatus.Cancelled, op.Status);
        Assert.Equal(OperationStatus.Cancelled, (await Backend.GetOperationAsync(id, Token)).Status);
        Assert.InRange(op.Duration, 0, 30);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task CancelOperation_Running_IsCancelledWhenItReturnsAndNoSandboxProcessRemains()
    {
        // The sleep's duration is the marker: it is in the cmdline of bwrap, the shell and the sleep itself.
        var marker = SandboxProcesses.NewMarker();
        var id = await Backend.SpawnInstanceAsync(
            new InstanceMetadata { Command = $"sleep {marker}; echo {marker}", Image = BaseImage, Shell = true, Disposable = true, Timeout = 600 },
            Token);
        Assert.Equal(OperationStatus.Executing, (await WaitUntilExecutingAsync(id)).Status);
        await SandboxProcesses.WaitForSleepAsync(marker, OperationDeadline, Token);

        await Backend.CancelOperationAsync(id, Token);
        var after = await Backend.GetOperationAsync(id, Token);
        var left = SandboxProcesses.With(marker);

        Assert.Equal(OperationStatus.Cancelled, after.Status);
        Assert.True(left.Count == 0, $"sandbox processes left after the cancel returned: {string.Join("; ", left)}");
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task ListOperations_KindAndStatusFilters_OnlyMatchingOperations()
    {
        var run = await RunShellAsync("true");
        var failing = await RunShellAsync("exit 3");

        var imports = await Backend.ListOperationsAsync(new OperationListQuery { Kind = OperationKind.ImageImport }, Token);
        var successfulRuns = await Backend.ListOperationsAsync(new OperationListQuery { Kind = OperationKind.Instance, Status = OperationStatus.Success }, Token);
        var cancelled = await Backend.ListOperationsAsync(new OperationListQuery { Status = OperationStatus.Cancelled }, Token);
        var newest = await Backend.ListOperationsAsync(new OperationListQuery { Limit = 1 }, Token);

        Assert.Contains(imports.Operations, o => o.Uuid == Fixture.ImportOperation.Uuid);
        Assert.All(imports.Operations, o => Assert.Equal(OperationKind.ImageImport, o.Kind));
        Assert.Contains(successfulRuns.Operations, o => o.Uuid == run.Uuid);
        Assert.Contains(successfulRuns.Operations, o => o.Uuid == failing.Uuid);
        Assert.All(successfulRuns.Operations, o => Assert.Equal((OperationKind.Instance, OperationStatus.Success), (o.Kind, o.Status)));
        Assert.All(cancelled.Operations, o => Assert.Equal(OperationStatus.Cancelled, o.Status));
        Assert.DoesNotContain(cancelled.Operations, o => o.Uuid == run.Uuid);
        Assert.Equal(failing.Uuid, Assert.Single(newest.Operations).Uuid);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task CancelOperation_QueuedBehindBusySlots_CancelledWithoutRunning()
    {
        Assert.SkipWhen(Fixture.MaxConcurrentOperations is null, "the fixture does not know the backend's concurrency limit");
        var slots = Fixture.MaxConcurrentOperations!.Value;
        var busy = new List<string>();
        try
        {
            for (var i = 0; i < slots; i++)
            {
                busy.Add(await Backend.SpawnInstanceAsync(
                    new InstanceMetadata { Command = "sleep 600", Image = BaseImage, Shell = true, Disposable = true, Timeout = 600 },
                    Token));
            }

            foreach (var id in busy)
            {
                Assert.Equal(OperationStatus.Executing, (await WaitUntilExecutingAsync(id)).Status);
            }

            var queued = await Backend.SpawnInstanceAsync(
                new InstanceMetadata { Command = "echo must-not-run > /root/ran", Image = BaseImage, Shell = true, Disposable = false },
                Token);
            var pending = await Backend.GetOperationAsync(queued, Token);
            await Backend.CancelOperationAsync(queued, Token);
            var cancelled = await WaitTerminalAsync(Backend, queued, Token);

            Assert.Equal(OperationStatus.Pending, pending.Status);
            Assert.Equal(OperationStatus.Cancelled, cancelled.Status);
            Assert.Null(cancelled.Instance?.Result);
            Assert.True(cancelled.Result?.Image is null || cancelled.Result.Image == BaseImage, "a cancelled run must not produce an image");
        }
        finally
        {
            foreach (var id in busy)
            {
                await Backend.CancelOperationAsync(id, CancellationToken.None);
            }
        }

        foreach (var id in busy)
        {
            Assert.Equal(OperationStatus.Cancelled, (await WaitTerminalAsync(Backend, id, Token)).Status);
        }
    }
}
