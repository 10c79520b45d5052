using System.Runtime.Versioning;

namespace Contree.Server.Configuration;

/// <summary>
/// Reads the profiles that <c>contree auth</c> (contree-cli) writes: <c>auth.ini</c> with <c>[profile:NAME]</c>
/// sections holding <c>token</c>, <c>url</c>, <c>type</c> (iam | jwt) and <c>project</c>, and the active profile named
/// by <c>profile =</c> in <c>[DEFAULT]</c>. As with Python's configparser, which writes the file, <c>[DEFAULT]</c> keys
/// are the fallback of every profile. The file is only ever read (docs/configuration.md).
/// </summary>
internal sealed class AuthProfiles
{
    public const string HomeEnvVar = "CONTREE_HOME";
    public const string SectionPrefix = "profile:";

    /// <summary>The profile contree-cli uses when <c>[DEFAULT]</c> names none.</summary>
    public const string DefaultProfileName = "default";

    private AuthProfiles(string path, string? activeName, IReadOnlyDictionary<string, AuthProfile> profiles, bool holdsToken)
    {
        Path = path;
        ActiveName = activeName;
        Profiles = profiles;
        HoldsToken = holdsToken;
    }

    public string Path { get; }

    /// <summary>The <c>profile =</c> of <c>[DEFAULT]</c>, or null when the file names none.</summary>
    public string? ActiveName { get; }

    /// <summary>Profiles by name (case-sensitive, as contree-cli writes them).</summary>
    public IReadOnlyDictionary<string, AuthProfile> Profiles { get; }

    /// <summary>True when any section carries a non-empty token (for the file-mode warning).</summary>
    public bool HoldsToken { get; }

    /// <summary><c>$CONTREE_HOME/auth.ini</c>, else <c>$XDG_CONFIG_HOME/contree/auth.ini</c>, else <c>~/.config/contree/auth.ini</c>.</summary>
    public static string DefaultPath(Func<string, string?> environment, string home)
    {
        if (environment(HomeEnvVar) is { Length: > 0 } contreeHome)
        {
            return System.IO.Path.Combine(SettingsLoader.ExpandPath(contreeHome, home), "auth.ini");
        }

        var config = environment("XDG_CONFIG_HOME") is { Length: > 0 } xdg && System.IO.Path.IsPathRooted(xdg) ? xdg : System.IO.Path.Combine(home, ".config");
        return System.IO.Path.Combine(config, "contree", "auth.ini");
    }

    /// <summary>The file's profiles, or null when it does not exist or cannot be read (then there are no profiles).</summary>
    public static AuthProfiles? Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or UnauthorizedAccessException)
        {
            return null;
        }

        return Parse(text, path);
    }

    /// <summary>Parses auth.ini text; a malformed line or a profile with an empty name throws naming <c>path:line</c>.</summary>
    public static AuthProfiles Parse(string text, string path)
    {
        var defaults = new Dictionary<string, SettingValue>(StringComparer.OrdinalIgnoreCase);
        var sections = new Dictionary<string, Dictionary<string, SettingValue>>(StringComparer.Ordinal);
        var holdsToken = false;
        foreach (var entry in IniFile.Parse(text, path))
        {
            var value = new SettingValue(entry.Value, $"{path}:{entry.Line} [{entry.Section}] {entry.Key}");
            holdsToken |= string.Equals(entry.Key, "token", StringComparison.OrdinalIgnoreCase) && entry.Value.Length > 0;
            if (string.Equals(entry.Section, "DEFAULT", StringComparison.Ordinal))
            {
                defaults[entry.Key] = value;
                continue;
            }

            if (!entry.Section.StartsWith(SectionPrefix, StringComparison.Ordinal))
            {
                // Other sections belong to contree-cli (or a later version of it); they are not ours to judge.
                continue;
            }

            var name = entry.Section[SectionPrefix.Length..].Trim();
            if (name.Length == 0)
            {
                throw new SettingsException($"{path}:{entry.Line}: a profile section needs a name, e.g. [profile:work]");
            }

            if (!sections.TryGetValue(name, out var fields))
            {
                sections[name] = fields = new Dictionary<string, SettingValue>(StringComparer.OrdinalIgnoreCase);
            }

            fields[entry.Key] = value;
        }

        // IniFile reports entries only, so a [profile:x] section without any key is not seen: selecting it by name
        // reports it as missing, which is clearer than a profile with nothing in it.
        var profiles = sections.ToDictionary(
            pair => pair.Key,
            pair => Build(pair.Key, pair.Value, defaults),
            StringComparer.Ordinal);
        var active = defaults.TryGetValue("profile", out var named) && named.Value.Length > 0 ? named.Value : null;
        return new AuthProfiles(path, active, profiles, holdsToken);
    }

    private static AuthProfile Build(string name, Dictionary<string, SettingValue> fields, Dictionary<string, SettingValue> defaults)
    {
        SettingValue? Field(string key) =>
            fields.TryGetValue(key, out var own) ? Empty(own) : defaults.TryGetValue(key, out var inherited) ? Empty(inherited) : null;

        return new AuthProfile { Name = name, Token = Field("token"), Url = Field("url"), Type = Field("type"), Project = Field("project") };
    }

    /// <summary>contree-cli writes <c>token =</c> for a profile without one: an empty value counts as unset.</summary>
    private static SettingValue? Empty(SettingValue value) => value.Value.Length == 0 ? null : value;

    /// <summary>
    /// A warning when the file holds a token and is world-readable; null otherwise (and on systems without
    /// Unix file modes).
    /// </summary>
    public static SettingsNotice? ReadableByOthersWarning(string path, bool holdsToken)
    {
        if (!holdsToken || OperatingSystem.IsWindows())
        {
            return null;
        }

        return ModeOf(path) is { } mode && (mode & UnixFileMode.OtherRead) != 0
            ? new SettingsNotice(LogLevel.Warning, $"{path} holds a token and every user of this machine can read it (mode {Octal(mode)}); run: chmod 600 {path}")
            : null;
    }

    [UnsupportedOSPlatform("windows")]
    private static UnixFileMode? ModeOf(string path)
    {
        try
        {
            return File.GetUnixFileMode(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string Octal(UnixFileMode mode) => Convert.ToString((int)mode & 0x1FF, 8).PadLeft(4, '0');
}
