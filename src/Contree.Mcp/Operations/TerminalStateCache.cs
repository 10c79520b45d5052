using Contree.Core.Models;

namespace Contree.Mcp.Operations;

/// <summary>
/// The terminal operation states the tracker keeps in memory: the most recently used ones, at most
/// <see cref="Capacity"/> of them and at most <see cref="MaxBytes"/> of their text (output, stdin, command) together.
/// A state heavier than <see cref="MaxEntryBytes"/> is never kept. Whatever is not here is re-read from the general
/// cache or the backend, so the bound costs a read, never a result (docs/architecture.md).
/// </summary>
internal sealed class TerminalStateCache
{
    public const int DefaultCapacity = 256;
    public const long DefaultMaxBytes = 16L * 1024 * 1024;
    public const long DefaultMaxEntryBytes = 1024L * 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<string, LinkedListNode<(OperationResponse State, long Bytes)>> _index = new(StringComparer.Ordinal);
    private readonly LinkedList<(OperationResponse State, long Bytes)> _recency = new();
    private long _bytes;

    public TerminalStateCache(int capacity = DefaultCapacity, long maxBytes = DefaultMaxBytes, long maxEntryBytes = DefaultMaxEntryBytes)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxBytes, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(maxEntryBytes, 1);
        Capacity = capacity;
        MaxBytes = maxBytes;
        MaxEntryBytes = Math.Min(maxEntryBytes, maxBytes);
    }

    public int Capacity { get; }

    public long MaxBytes { get; }

    public long MaxEntryBytes { get; }

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _index.Count;
            }
        }
    }

    /// <summary>Approximate memory held by the kept states' text, in bytes.</summary>
    public long Bytes
    {
        get
        {
            lock (_gate)
            {
                return _bytes;
            }
        }
    }

    public bool Contains(string operationId)
    {
        lock (_gate)
        {
            return _index.ContainsKey(operationId);
        }
    }

    /// <summary>The kept state of <paramref name="operationId"/>, which becomes the most recently used.</summary>
    public bool TryGet(string operationId, out OperationResponse state)
    {
        lock (_gate)
        {
            if (_index.TryGetValue(operationId, out var node))
            {
                _recency.Remove(node);
                _recency.AddFirst(node);
                state = node.Value.State;
                return true;
            }
        }

        state = null!;
        return false;
    }

    /// <summary>
    /// The state already kept for the operation (the first one published wins, so every reader sees the same), else
    /// <paramref name="state"/>, kept when it is light enough; the least recently used states make room for it.
    /// </summary>
    public OperationResponse GetOrAdd(OperationResponse state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var bytes = Weigh(state);
        lock (_gate)
        {
            if (_index.TryGetValue(state.Uuid, out var known))
            {
                _recency.Remove(known);
                _recency.AddFirst(known);
                return known.Value.State;
            }

            if (bytes > MaxEntryBytes)
            {
                return state;
            }

            while (_index.Count >= Capacity || (_bytes + bytes > MaxBytes && _recency.Last is not null))
            {
                var oldest = _recency.Last!;
                _recency.RemoveLast();
                _index.Remove(oldest.Value.State.Uuid);
                _bytes -= oldest.Value.Bytes;
            }

            _index[state.Uuid] = _recency.AddFirst((state, bytes));
            _bytes += bytes;
            return state;
        }
    }

    /// <summary>What a state's strings cost in memory (UTF-16), dominated by a run's output; the rest is counted flat.</summary>
    internal static long Weigh(OperationResponse state)
    {
        const long Fixed = 1024;
        long chars = (state.Error?.Length ?? 0) + state.Uuid.Length;
        if (state.Metadata is InstanceMetadata instance)
        {
            chars += instance.Command.Length + instance.Stdin.Value.Length + instance.Args.Sum(static a => a.Length)
                + instance.Env.Sum(static e => e.Key.Length + e.Value.Length);
            if (instance.Result is { } result)
            {
                chars += result.Stdout.Value.Length + result.Stderr.Value.Length;
            }
        }

        return Fixed + (chars * sizeof(char));
    }
}
