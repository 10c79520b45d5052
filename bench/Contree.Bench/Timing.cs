using System.Diagnostics;

namespace Contree.Bench;

/// <summary>Wall-clock timing of one action, in milliseconds.</summary>
internal static class Timing
{
    public static async Task<double> TimeAsync(Func<Task> action)
    {
        var start = Stopwatch.GetTimestamp();
        await action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    public static double Time(Action action)
    {
        var start = Stopwatch.GetTimestamp();
        action();
        return Stopwatch.GetElapsedTime(start).TotalMilliseconds;
    }

    /// <summary>Runs <paramref name="warmup"/> untimed iterations, then <paramref name="count"/> timed ones.</summary>
    public static async Task<List<double>> RepeatAsync(int count, int warmup, Func<int, Task> action)
    {
        for (var i = 0; i < warmup; i++)
        {
            await action(-1 - i);
        }

        var samples = new List<double>(count);
        for (var i = 0; i < count; i++)
        {
            var index = i;
            samples.Add(await TimeAsync(() => action(index)));
        }

        return samples;
    }
}
