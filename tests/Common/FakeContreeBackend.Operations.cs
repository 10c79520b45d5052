using Contree.Core;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>Instances, imports and the operation endpoints (E2, E15–E18) plus <see cref="IOperationCompletion"/>.</summary>
public sealed partial class FakeContreeBackend
{
    public Task<string> SpawnInstanceAsync(InstanceMetadata request, CancellationToken cancellationToken = default)
    {
        Enter(nameof(SpawnInstanceAsync));
        SpawnRequests.Enqueue(request);
        if (request.Timeout <= 0)
        {
            throw ContreeException.InvalidArgument($"timeout must be positive, got {request.Timeout}");
        }

        if (!request.Cwd.StartsWith('/'))
        {
            throw ContreeException.InvalidArgument($"cwd must be absolute, got '{request.Cwd}'");
        }

        lock (_gate)
        {
            FindImage(request.Image);
            foreach (var (path, spec) in request.Files)
            {
                if (!_filesByUuid.ContainsKey(spec.Uuid))
                {
                    throw ContreeException.NotFound($"File not found: {spec.Uuid} (for {path})");
                }
            }
        }

        var outcome = RunHandler(request);
        return Task.FromResult(StartOperation(OperationKind.Instance, request with { Result = null }, outcome));
    }

    public Task<string> ImportImageAsync(ImportImageMetadata request, CancellationToken cancellationToken = default)
    {
        Enter(nameof(ImportImageAsync));
        ImportRequests.Enqueue(request);
        if (string.IsNullOrWhiteSpace(request.Registry.Url))
        {
            throw ContreeException.InvalidArgument("registry url must not be empty");
        }

        var outcome = ImportHandler(request);
        return Task.FromResult(StartOperation(OperationKind.ImageImport, request, outcome));
    }

    public Task<OperationListResponse> ListOperationsAsync(OperationListQuery query, CancellationToken cancellationToken = default)
    {
        Enter(nameof(ListOperationsAsync));
        lock (_gate)
        {
            var list = Enumerable.Reverse(_operationOrder).Select(id => _operations[id])
                .Where(o => query.Status is null || o.Status == query.Status)
                .Where(o => query.Kind is null || o.Kind == query.Kind)
                .Skip(query.Offset).Take(query.Limit)
                .Select(o => new OperationSummary { Uuid = o.Id, Kind = o.Kind, Status = o.Status, Error = o.Error, CreatedAt = o.CreatedAt })
                .ToList();
            return Task.FromResult(new OperationListResponse { Operations = list });
        }
    }

    public async Task<OperationResponse> GetOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        Enter(nameof(GetOperationAsync));
        if (BeforeOperationRead is { } hook)
        {
            await hook(operationId, cancellationToken);
        }

        lock (_gate)
        {
            var operation = FindOperation(operationId);
            if (!operation.Status.IsTerminal() && operation.CancelReadsLeft is { } untilCancelled)
            {
                if (untilCancelled == 0)
                {
                    MarkCancelled(operation);
                }
                else if (untilCancelled != int.MaxValue)
                {
                    operation.CancelReadsLeft = untilCancelled - 1;
                }
            }

            if (!operation.Status.IsTerminal() && operation.ReadsLeft is { } left)
            {
                if (left == 0)
                {
                    Complete(operation);
                }
                else
                {
                    operation.ReadsLeft = left - 1;
                }
            }

            return WithOutputViews(operation.ToResponse());
        }
    }

    /// <summary>Like both real backends: ranges of the whole kept output, which GetOperationAsync only shows as a view.</summary>
    public Task<OutputRange> ReadOperationOutputAsync(string operationId, OutputStream stream, long offset, int length, CancellationToken cancellationToken = default)
    {
        Enter(nameof(ReadOperationOutputAsync));
        OperationOutput.ValidateRange(offset, length);
        lock (_gate)
        {
            var payload = OperationOutput.Select(FindOperation(operationId).ToResponse(), stream, operationId);
            return Task.FromResult(new OutputRange { Data = payload.Slice(offset, length), Offset = offset, TotalBytes = payload.Size, Truncated = payload.Truncated });
        }
    }

    private static OperationResponse WithOutputViews(OperationResponse operation) =>
        operation.Metadata is InstanceMetadata { Result: { } result } instance
            ? operation with { Metadata = instance with { Result = result with { Stdout = result.Stdout.ToView(), Stderr = result.Stderr.ToView() } } }
            : operation;

    public Task CancelOperationAsync(string operationId, CancellationToken cancellationToken = default)
    {
        Enter(nameof(CancelOperationAsync));
        CancelRequests.Enqueue(operationId);
        lock (_gate)
        {
            var operation = FindOperation(operationId);
            if (!operation.Status.IsTerminal())
            {
                if (operation.Outcome.CancelTakesReads is { } reads)
                {
                    operation.CancelReadsLeft ??= reads;
                }
                else
                {
                    MarkCancelled(operation);
                }
            }
        }

        return Task.CompletedTask;
    }

    /// <summary>Runs under the lock.</summary>
    private static void MarkCancelled(FakeOperation operation)
    {
        operation.Status = OperationStatus.Cancelled;
        operation.Error = "Operation cancelled";
        operation.ReadsLeft = null;
        operation.CancelReadsLeft = null;
        operation.Done.TrySetResult();
    }

    public Task WaitForTerminalAsync(string operationId, CancellationToken cancellationToken = default)
    {
        Enter(nameof(WaitForTerminalAsync));
        Task done;
        lock (_gate)
        {
            var operation = FindOperation(operationId);
            if (!operation.Status.IsTerminal() && operation.ReadsLeft is not null)
            {
                Complete(operation);
            }

            done = operation.Done.Task;
        }

        return done.WaitAsync(cancellationToken);
    }

    /// <summary>Completes a held operation with its outcome. Returns false when it was already terminal.</summary>
    public bool Release(string operationId)
    {
        lock (_gate)
        {
            var operation = FindOperation(operationId);
            if (operation.Status.IsTerminal())
            {
                return false;
            }

            Complete(operation);
            return true;
        }
    }

    /// <summary>Completes every held operation.</summary>
    public void ReleaseAll()
    {
        lock (_gate)
        {
            foreach (var operation in _operations.Values.Where(o => !o.Status.IsTerminal()))
            {
                Complete(operation);
            }
        }
    }

    /// <summary>The current status of an operation (no call is counted).</summary>
    public OperationStatus StatusOf(string operationId)
    {
        lock (_gate)
        {
            return FindOperation(operationId).Status;
        }
    }

    /// <summary>Ids of all operations, oldest first.</summary>
    public IReadOnlyList<string> OperationIds
    {
        get
        {
            lock (_gate)
            {
                return [.. _operationOrder];
            }
        }
    }

    private string StartOperation(OperationKind kind, OperationMetadata metadata, FakeRunOutcome outcome)
    {
        var operation = new FakeOperation(Guid.NewGuid().ToString("D"), kind, metadata, outcome, NextTimestamp());
        lock (_gate)
        {
            _operations[operation.Id] = operation;
            _operationOrder.Add(operation.Id);
            if (!outcome.Hold)
            {
                if (CompletionDelay > TimeSpan.Zero)
                {
                    _ = CompleteAfterAsync(operation, CompletionDelay);
                }
                else if (ReadsBeforeCompletion > 0)
                {
                    operation.ReadsLeft = ReadsBeforeCompletion;
                }
                else
                {
                    Complete(operation);
                }
            }
        }

        return operation.Id;
    }

    private async Task CompleteAfterAsync(FakeOperation operation, TimeSpan delay)
    {
        await Task.Delay(delay);
        lock (_gate)
        {
            if (!operation.Status.IsTerminal())
            {
                Complete(operation);
            }
        }
    }

    /// <summary>Applies the outcome. Runs under the lock.</summary>
    private void Complete(FakeOperation operation)
    {
        var outcome = operation.Outcome;
        operation.ReadsLeft = null;
        if (outcome.Error is not null)
        {
            operation.Status = OperationStatus.Failed;
            operation.Error = outcome.Error;
            operation.Done.TrySetResult();
            return;
        }

        if (operation.Metadata is InstanceMetadata instance)
        {
            string? resultImage = instance.Disposable ? null : instance.Image;
            if (!instance.Disposable && outcome.WriteFiles is { Count: > 0 } && _images.TryGetValue(instance.Image, out var source))
            {
                var derived = source.CloneAs(Guid.NewGuid().ToString("D"), NextTimestamp());
                foreach (var (path, text) in outcome.WriteFiles)
                {
                    derived.AddFile(path, System.Text.Encoding.UTF8.GetBytes(text), 0x1A4);
                }

                _images[derived.Uuid] = derived;
                _imageOrder.Add(derived.Uuid);
                resultImage = derived.Uuid;
            }

            var stdout = outcome.StdoutBytes ?? System.Text.Encoding.UTF8.GetBytes(outcome.Stdout);
            var result = new InstanceResult
            {
                Resources = outcome.Resources,
                State = new ProcessExitState { ExitCode = outcome.ExitCode, Pid = 1, TimedOut = outcome.TimedOut },
                Stdout = StreamPayload.FromBytes(stdout, instance.TruncateOutputAt),
                Stderr = StreamPayload.FromBytes(System.Text.Encoding.UTF8.GetBytes(outcome.Stderr), instance.TruncateOutputAt),
            };
            operation.Metadata = instance with { Result = result };
            operation.Result = new OperationResult { Image = resultImage };
        }
        else if (operation.Metadata is ImportImageMetadata import)
        {
            var image = new FakeImage(Guid.NewGuid().ToString("D"), NextTimestamp());
            image.AddDirectory("/");
            image.AddFile("/etc/imported-from", System.Text.Encoding.UTF8.GetBytes(import.Registry.Url), 0x1A4);
            _images[image.Uuid] = image;
            _imageOrder.Add(image.Uuid);
            if (import.Tag is not null)
            {
                foreach (var other in _images.Values.Where(i => i.Tag == import.Tag))
                {
                    other.Tag = null;
                }

                image.Tag = import.Tag;
            }

            operation.Result = new OperationResult { Image = image.Uuid, Tag = import.Tag };
        }

        operation.Status = OperationStatus.Success;
        operation.Done.TrySetResult();
    }

    private FakeOperation FindOperation(string operationId) =>
        _operations.TryGetValue(operationId, out var operation)
            ? operation
            : throw ContreeException.NotFound($"Operation not found: {operationId}");

    private sealed class FakeOperation(string id, OperationKind kind, OperationMetadata metadata, FakeRunOutcome outcome, string createdAt)
    {
        public string Id { get; } = id;

        public OperationKind Kind { get; } = kind;

        public OperationMetadata Metadata { get; set; } = metadata;

        public FakeRunOutcome Outcome { get; } = outcome;

        public string CreatedAt { get; } = createdAt;

        public OperationStatus Status { get; set; } = OperationStatus.Executing;

        public string? Error { get; set; }

        public OperationResult? Result { get; set; }

        /// <summary>Reads left before automatic completion; null when held or already complete.</summary>
        public int? ReadsLeft { get; set; }

        /// <summary>Reads left before an accepted cancel takes effect; null when no cancel is pending.</summary>
        public int? CancelReadsLeft { get; set; }

        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public OperationResponse ToResponse() => new()
        {
            Uuid = Id,
            Status = Status,
            Kind = Kind,
            Error = Error,
            Metadata = Metadata,
            Result = Result,
            Duration = Status.IsTerminal() ? 0.01 : 0,
        };
    }
}
