using Contree.Core;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>
/// The Contree API contract (E1–E18, docs/http.md) as one set of assertions that every <see cref="IContreeBackend"/>
/// must pass: the in-process engine, the engine served over /v1 through the HTTP client, and any future backend.
/// A derived class supplies the backend through a <see cref="BackendFixture"/> subclass used as its class fixture;
/// the fixture imports one busybox base image (from an OCI layout written here) that every test starts from.
/// </summary>
/// <remarks>
/// Tests of one class run one after another, but classes run in parallel: every tag and file content used here is
/// unique per test, and images are only ever derived from the base image, never changed in place.
/// </remarks>
public abstract partial class ContreeBackendConformanceTests(ContreeBackendConformanceTests.BackendFixture fixture)
{
    /// <summary>Upper bound for one operation to finish; generous because CI machines may be slow.</summary>
    protected static readonly TimeSpan OperationDeadline = TimeSpan.FromSeconds(60);

    /// <summary>Sandboxes need root, bubblewrap and busybox-static; the whole class skips without them.</summary>
    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    protected BackendFixture Fixture { get; } = fixture;

    protected IContreeBackend Backend => Fixture.Backend;

    /// <summary>UUID of the imported busybox image.</summary>
    protected string BaseImage => Fixture.BaseImage;

    protected static CancellationToken Token => TestContext.Current.CancellationToken;

    /// <summary>A tag no other test (or parallel class) uses.</summary>
    protected static string UniqueTag(string name) => $"conformance/{name}:{Guid.NewGuid():N}";

    /// <summary>Spawns an instance from the base image unless <paramref name="request"/> names another one, then waits.</summary>
    protected async Task<OperationResponse> RunAsync(InstanceMetadata request)
    {
        var id = await Backend.SpawnInstanceAsync(request, Token);
        return await WaitTerminalAsync(Backend, id, Token);
    }

    /// <summary>A shell command on the base image (or <paramref name="image"/>), disposable unless asked otherwise.</summary>
    protected Task<OperationResponse> RunShellAsync(string command, string? image = null, bool disposable = true) =>
        RunAsync(new InstanceMetadata { Command = command, Image = image ?? BaseImage, Shell = true, Disposable = disposable });

    /// <summary>Derives a new image from the base image by writing one file; returns its UUID.</summary>
    protected async Task<string> CreateChildImageAsync(string marker)
    {
        var op = await RunShellAsync($"echo {marker} > /root/marker", disposable: false);
        AssertInstanceSucceeded(op);
        Assert.False(string.IsNullOrEmpty(op.Result?.Image), "a non-disposable run that wrote a file must name a result image");
        Assert.NotEqual(BaseImage, op.Result!.Image);
        return op.Result.Image!;
    }

    /// <summary>Asserts the operation is SUCCESS with exit code 0 and a result, naming stderr otherwise.</summary>
    protected static InstanceResult AssertInstanceSucceeded(OperationResponse op, int exitCode = 0)
    {
        Assert.True(op.Status == OperationStatus.Success, $"operation {op.Uuid} is {op.Status}: {op.Error}");
        Assert.Equal(OperationKind.Instance, op.Kind);
        var result = op.Instance?.Result;
        Assert.NotNull(result);
        Assert.True(result.State.ExitCode == exitCode, $"exit code {result.State.ExitCode}, stderr: {result.Stderr.ToText()}");
        return result;
    }

    /// <summary>
    /// Waits for a terminal state: through <see cref="IOperationCompletion"/> when the backend has it, otherwise by
    /// polling <see cref="IContreeBackend.GetOperationAsync"/> (the HTTP API has no completion notification).
    /// </summary>
    public static async Task<OperationResponse> WaitTerminalAsync(IContreeBackend backend, string operationId, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(OperationDeadline);
        if (backend is IOperationCompletion completion)
        {
            await completion.WaitForTerminalAsync(operationId, deadline.Token);
            return await backend.GetOperationAsync(operationId, cancellationToken);
        }

        while (true)
        {
            var op = await backend.GetOperationAsync(operationId, cancellationToken);
            if (op.Status.IsTerminal())
            {
                return op;
            }

            // Polling is the only way to observe progress through the HTTP API.
            await Task.Delay(TimeSpan.FromMilliseconds(50), deadline.Token);
        }
    }

    /// <summary>Polls until the operation leaves PENDING/ASSIGNED (or ends), i.e. its sandbox has started.</summary>
    protected async Task<OperationResponse> WaitUntilExecutingAsync(string operationId)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Token);
        deadline.CancelAfter(OperationDeadline);
        while (true)
        {
            var op = await Backend.GetOperationAsync(operationId, Token);
            if (op.Status == OperationStatus.Executing || op.Status.IsTerminal())
            {
                return op;
            }

            // There is no notification for "started"; the state is observable only by asking.
            await Task.Delay(TimeSpan.FromMilliseconds(25), deadline.Token);
        }
    }
}
