namespace Contree.Bench;

/// <summary>Order statistics of one measured figure (milliseconds unless the row says otherwise).</summary>
internal sealed record Distribution(int Count, double Median, double P95, double Max, double Min)
{
    /// <summary>Nearest-rank percentiles: with few samples p95 is the largest-but-one value, never an interpolation.</summary>
    public static Distribution Of(IReadOnlyCollection<double> samples)
    {
        if (samples.Count == 0)
        {
            throw new ArgumentException("a distribution needs at least one sample", nameof(samples));
        }

        var sorted = samples.Order().ToArray();
        return new Distribution(sorted.Length, Percentile(sorted, 50), Percentile(sorted, 95), sorted[^1], sorted[0]);
    }

    /// <summary>A figure measured once (a count, a size): every statistic is the value itself.</summary>
    public static Distribution Single(double value) => new(1, value, value, value, value);

    private static double Percentile(double[] sorted, int percent)
    {
        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }
}
