namespace Contree.Server.Configuration;

/// <summary>
/// One row of the settings table: the single source of the flag, environment variable, ini key, default and help
/// text of a setting. <see cref="SettingDefinitions"/> holds the rows.
/// </summary>
/// <param name="Name">Canonical name, <c>section.key</c> (<c>DEFAULT</c> keys have no section prefix).</param>
/// <param name="Section">Ini section: <c>DEFAULT</c>, <c>http</c>, <c>cache</c>, <c>engine</c> or <c>api</c>.</param>
/// <param name="Key">Ini key (case-insensitive in the file).</param>
/// <param name="Flag">Command-line flag.</param>
/// <param name="EnvVar">Environment variable.</param>
/// <param name="DefaultText">The default as shown by --help.</param>
/// <param name="Help">One-line description with the accepted values.</param>
/// <param name="Commands">Commands whose command line accepts the flag.</param>
/// <param name="IsSecret">True: the value is never printed.</param>
/// <param name="IsSwitch">True: a boolean flag that may be given without a value (meaning true).</param>
internal sealed record SettingDefinition(
    string Name,
    string Section,
    string Key,
    string Flag,
    string EnvVar,
    string DefaultText,
    string Help,
    ServerCommand Commands,
    bool IsSecret = false,
    bool IsSwitch = false)
{
    /// <summary>Where the setting lives in the ini file, e.g. <c>[http] port</c>.</summary>
    public string IniLocation => $"[{Section}] {Key}";
}
