using System.Text;
using System.Text.RegularExpressions;
using Contree.Core.Errors;

namespace Contree.Mcp.Sync;

/// <summary>
/// The exclude patterns of <c>rsync</c>, with gitignore semantics (git-scm.com/docs/gitignore, "PATTERN FORMAT"),
/// replacing the original's prefix-regex matching. Paths are relative to the synced root with '/' separators.
/// </summary>
/// <remarks>
/// A pattern without '/' (apart from a trailing one) matches one path component at any depth: <c>__pycache__</c>,
/// <c>*.pyc</c>; <c>.git</c> does not match <c>.github</c>. A pattern with '/' is anchored at the root: <c>build/out</c>,
/// <c>/dist</c>. <c>**</c> spans directories, <c>*</c>, <c>?</c> and <c>[…]</c> stay inside one component, a trailing '/'
/// matches directories only, and matching is case-sensitive. An excluded directory is not descended.
/// </remarks>
internal sealed class ExcludeMatcher
{
    private readonly IReadOnlyList<Rule> _rules;

    private ExcludeMatcher(IReadOnlyList<Rule> rules) => _rules = rules;

    public static ExcludeMatcher Empty { get; } = new([]);

    /// <summary>Compiles the patterns; a malformed pattern is an InvalidArgument error naming it.</summary>
    public static ExcludeMatcher Create(IEnumerable<string> patterns)
    {
        var rules = new List<Rule>();
        foreach (var pattern in patterns)
        {
            rules.Add(Compile(pattern));
        }

        return new ExcludeMatcher(rules);
    }

    /// <summary>Whether the entry at <paramref name="relativePath"/> (no leading '/') is excluded.</summary>
    public bool IsExcluded(string relativePath, bool isDirectory)
    {
        var name = relativePath[(relativePath.LastIndexOf('/') + 1)..];
        foreach (var rule in _rules)
        {
            if (rule.DirectoryOnly && !isDirectory)
            {
                continue;
            }

            if (rule.Regex.IsMatch(rule.Anchored ? relativePath : name))
            {
                return true;
            }
        }

        return false;
    }

    private static Rule Compile(string pattern)
    {
        if (string.IsNullOrWhiteSpace(pattern))
        {
            throw ContreeException.InvalidArgument("exclude patterns must not be empty");
        }

        if (pattern.StartsWith('!'))
        {
            throw ContreeException.InvalidArgument($"exclude pattern '{pattern}': negation ('!') is not supported");
        }

        var body = pattern;
        var directoryOnly = body.EndsWith('/');
        body = body.TrimEnd('/');
        var anchored = body.Contains('/', StringComparison.Ordinal);
        body = body.TrimStart('/');
        if (body.Length == 0)
        {
            throw ContreeException.InvalidArgument($"exclude pattern '{pattern}' matches nothing: it has no name");
        }

        try
        {
            var regex = new Regex("^" + Translate(body, pattern) + "$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
            return new Rule(regex, anchored, directoryOnly);
        }
        catch (RegexParseException ex)
        {
            // The parser's message quotes the translated regex; its error code names the problem in the glob too.
            var problem = Regex.Replace(ex.Error.ToString(), "(?<!^)([A-Z])", " $1").ToLowerInvariant();
            throw ContreeException.InvalidArgument($"exclude pattern '{pattern}' is not a valid glob: {problem}", ex);
        }
    }

    private static string Translate(string glob, string original)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < glob.Length; i++)
        {
            var c = glob[i];
            switch (c)
            {
                case '*' when i + 1 < glob.Length && glob[i + 1] == '*':
                    var atStart = i == 0 || glob[i - 1] == '/';
                    var followedBySlash = i + 2 < glob.Length && glob[i + 2] == '/';
                    if (atStart && followedBySlash)
                    {
                        sb.Append("(?:.*/)?"); // "**/" : zero or more directories
                        i += 2;
                    }
                    else
                    {
                        sb.Append(".*");
                        i++;
                    }

                    break;
                case '*':
                    sb.Append("[^/]*");
                    break;
                case '?':
                    sb.Append("[^/]");
                    break;
                case '[':
                    var end = glob.IndexOf(']', i + 2);
                    if (end < 0)
                    {
                        throw ContreeException.InvalidArgument($"exclude pattern '{original}' has an unclosed '['");
                    }

                    var set = glob[(i + 1)..end];
                    var negate = set.StartsWith('!') || set.StartsWith('^');
                    if (negate)
                    {
                        set = set[1..];
                    }

                    sb.Append(negate ? "[^/" : "[").Append(set.Replace("\\", "\\\\", StringComparison.Ordinal)).Append(']');
                    i = end;
                    break;
                case '\\' when i + 1 < glob.Length:
                    sb.Append(Regex.Escape(glob[i + 1].ToString()));
                    i++;
                    break;
                default:
                    sb.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        return sb.ToString();
    }

    private sealed record Rule(Regex Regex, bool Anchored, bool DirectoryOnly);
}
