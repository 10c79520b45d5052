using System.Collections.Concurrent;

namespace Contree.Client.Tests;

/// <summary>
/// Records the delay of every timer the client creates (its retry sleeps) and fires them at once, so backoff
/// decisions are observable without waiting for them.
/// </summary>
internal sealed class RecordingTimeProvider : TimeProvider
{
    public ConcurrentQueue<TimeSpan> Delays { get; } = new();

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        Delays.Enqueue(dueTime);
        return System.CreateTimer(callback, state, TimeSpan.Zero, period);
    }
}
