namespace Contree.Server.Configuration;

/// <summary>
/// One <c>[profile:NAME]</c> section of contree-cli's auth.ini; a field is null when the profile (and the file's
/// <c>[DEFAULT]</c>) does not set it. Each value keeps where it came from for messages. Not a record, so no
/// generated ToString can print the token.
/// </summary>
internal sealed class AuthProfile
{
    public required string Name { get; init; }

    /// <summary>Never printed.</summary>
    public SettingValue? Token { get; init; }

    public SettingValue? Url { get; init; }

    /// <summary>iam or jwt as written; validated by the settings loader like any other auth type value.</summary>
    public SettingValue? Type { get; init; }

    public SettingValue? Project { get; init; }
}
