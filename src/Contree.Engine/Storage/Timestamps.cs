using System.Globalization;

namespace Contree.Engine.Storage;

/// <summary>
/// Timestamps as stored and returned: ISO-8601 UTC with a fixed width (microseconds), so that text order is
/// time order in SQLite. Filters accept ISO-8601 or a relative age such as <c>30m</c>, <c>1h</c>, <c>2d</c>.
/// </summary>
internal static class Timestamps
{
    private const string Pattern = "yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'";

    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString(Pattern, CultureInfo.InvariantCulture);

    /// <summary>Parses a filter bound; <paramref name="field"/> names it in the error.</summary>
    public static DateTimeOffset ParseBound(string text, DateTimeOffset now, string field)
    {
        var trimmed = text.Trim();
        if (trimmed.Length >= 2 && char.IsAsciiDigit(trimmed[0]) && char.IsAsciiLetter(trimmed[^1])
            && long.TryParse(trimmed.AsSpan(0, trimmed.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var amount))
        {
            TimeSpan? unit = char.ToLowerInvariant(trimmed[^1]) switch
            {
                's' => TimeSpan.FromSeconds(1),
                'm' => TimeSpan.FromMinutes(1),
                'h' => TimeSpan.FromHours(1),
                'd' => TimeSpan.FromDays(1),
                'w' => TimeSpan.FromDays(7),
                _ => null,
            };
            if (unit is { } u && amount < 100_000_000)
            {
                return now - (u * amount);
            }
        }

        if (DateTimeOffset.TryParse(trimmed, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        throw Core.Errors.ContreeException.InvalidArgument(
            $"{field} must be an ISO-8601 time or a relative age like 30m, 1h or 2d, got: '{text}'");
    }
}
