namespace Contree.Server.Configuration;

/// <summary>
/// A minimal INI reader in the configparser dialect the original used: <c>[section]</c> headers,
/// <c>key = value</c> or <c>key: value</c>, <c>;</c> and <c>#</c> full-line comments, keys and sections
/// case-insensitive, values raw (no interpolation). Keys before any header belong to <c>[DEFAULT]</c>.
/// </summary>
internal static class IniFile
{
    /// <summary>One <c>key = value</c> entry with its position for error messages.</summary>
    internal sealed record Entry(string Section, string Key, string Value, int Line);

    /// <summary>Parses INI text; a malformed or duplicate line throws naming <c>path:line</c>.</summary>
    public static IReadOnlyList<Entry> Parse(string text, string path)
    {
        var entries = new List<Entry>();
        var seen = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var section = "DEFAULT";
        var lines = text.Split('\n');
        for (var i = 0; i < lines.Length; i++)
        {
            var number = i + 1;
            var line = lines[i].TrimEnd('\r');
            var trimmed = line.Trim();
            if (i == 0 && trimmed.StartsWith('\uFEFF'))
            {
                trimmed = trimmed[1..].Trim();
            }

            if (trimmed.Length == 0 || trimmed[0] is ';' or '#')
            {
                continue;
            }

            if (trimmed[0] == '[')
            {
                if (!trimmed.EndsWith(']') || trimmed.Length < 3)
                {
                    throw new SettingsException($"{path}:{number}: malformed section header '{trimmed}'; expected [name]");
                }

                section = trimmed[1..^1].Trim();
                if (section.Length == 0)
                {
                    throw new SettingsException($"{path}:{number}: empty section name");
                }

                continue;
            }

            var separator = trimmed.IndexOfAny(['=', ':']);
            if (separator <= 0)
            {
                throw new SettingsException($"{path}:{number}: expected 'key = value', a [section] header or a comment starting with ';' or '#'");
            }

            var key = trimmed[..separator].Trim();
            var value = trimmed[(separator + 1)..].Trim();
            if (!seen.Add(section + "\0" + key))
            {
                throw new SettingsException($"{path}:{number}: duplicate key '{key}' in [{section}]");
            }

            entries.Add(new Entry(section, key, value, number));
        }

        return entries;
    }
}
