namespace Contree.Bench;

/// <summary>
/// One line of the result table: a figure, the baseline measured in the same run, their ratio (figure / baseline
/// medians, unless <see cref="Ratio"/> is set otherwise by the scenario) and whether the target is met.
/// </summary>
internal sealed record BenchRow(
    string Scenario,
    string Metric,
    string Unit,
    Distribution Value,
    string? BaselineName = null,
    Distribution? Baseline = null,
    double? Ratio = null,
    string Target = "",
    bool? Met = null,
    string? Note = null)
{
    /// <summary>The median ratio to the baseline, or the explicit one.</summary>
    public double? EffectiveRatio => Ratio ?? (Baseline is { Median: > 0 } b ? Value.Median / b.Median : null);
}
