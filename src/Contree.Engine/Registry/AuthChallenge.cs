using System.Net.Http.Headers;
using System.Text.RegularExpressions;

namespace Contree.Engine.Registry;

/// <summary>
/// One <c>WWW-Authenticate</c> challenge (RFC 7235 §4.1): a scheme (<c>Basic</c> or <c>Bearer</c>) and its
/// parameters, e.g. <c>Bearer realm="https://auth.example/token",service="registry",scope="repository:x:pull"</c>
/// (distribution token auth spec, "How to authenticate").
/// </summary>
internal sealed partial record AuthChallenge(string Scheme, IReadOnlyDictionary<string, string> Parameters)
{
    public string? Get(string name) => Parameters.TryGetValue(name, out var value) ? value : null;

    /// <summary>The Bearer challenge if the registry offers one, else Basic, else null.</summary>
    public static AuthChallenge? Select(HttpHeaderValueCollection<AuthenticationHeaderValue> headers)
    {
        var challenges = headers.Select(h => Parse(h.Scheme, h.Parameter)).ToList();
        return challenges.FirstOrDefault(c => c.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            ?? challenges.FirstOrDefault(c => c.Scheme.Equals("Basic", StringComparison.OrdinalIgnoreCase));
    }

    public static AuthChallenge Parse(string scheme, string? parameters)
    {
        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in ParameterPattern().Matches(parameters ?? ""))
        {
            var value = match.Groups["quoted"].Success
                ? match.Groups["quoted"].Value.Replace("\\\"", "\"", StringComparison.Ordinal)
                : match.Groups["token"].Value;
            values[match.Groups["name"].Value] = value;
        }

        return new AuthChallenge(scheme, values);
    }

    [GeneratedRegex("""(?<name>[A-Za-z0-9_-]+)\s*=\s*(?:"(?<quoted>(?:[^"\\]|\\.)*)"|(?<token>[^,\s]*))""")]
    private static partial Regex ParameterPattern();
}
