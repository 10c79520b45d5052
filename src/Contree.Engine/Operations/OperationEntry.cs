namespace Contree.Engine.Operations;

/// <summary>A live (pending or executing) operation in the <see cref="OperationQueue"/>.</summary>
internal sealed class OperationEntry(string id, OperationWork work)
{
    public const int Pending = 0;
    public const int Executing = 1;
    public const int Finished = 2;

    private int _state = Pending;

    public string Id { get; } = id;

    public OperationWork Work { get; } = work;

    /// <summary>Fired by cancel requests and shutdown; passed to the work (and on to the sandbox runtime).</summary>
    public CancellationTokenSource Cancellation { get; } = new();

    /// <summary>Completes when the operation reaches a terminal state; continuations never run inline.</summary>
    public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The error text recorded when the operation ends cancelled.</summary>
    public string CancelReason { get; set; } = "cancelled by request";

    public int State => Volatile.Read(ref _state);

    /// <summary>Atomically moves the entry from <paramref name="from"/> to <paramref name="to"/>.</summary>
    public bool TryTransition(int from, int to) => Interlocked.CompareExchange(ref _state, to, from) == from;
}
