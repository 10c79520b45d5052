namespace Contree.Core;

/// <summary>
/// The schedule for reading an operation's state until it is terminal, shared by every poller: at once, then after
/// <see cref="FirstDelay"/>, each pause ×1.3 the previous one up to <see cref="MaxDelay"/>. A run is seen at most
/// 30 % of its duration (plus a round trip) after it ends, with about 13 reads in its first second and one per second
/// from then on.
/// </summary>
public static class OperationPolling
{
    private const double Growth = 1.3;

    public static TimeSpan FirstDelay { get; } = TimeSpan.FromMilliseconds(10);

    public static TimeSpan MaxDelay { get; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How long a cancel waits for the operation to become terminal before it reports the state it has (both backends
    /// and the MCP tools use this bound, so an agent sees the same on either).
    /// </summary>
    public static TimeSpan CancelWait { get; } = TimeSpan.FromSeconds(5);

    /// <summary>The pause after <paramref name="delay"/>.</summary>
    public static TimeSpan Next(TimeSpan delay) => TimeSpan.FromTicks(Math.Min((long)(delay.Ticks * Growth), MaxDelay.Ticks));
}
