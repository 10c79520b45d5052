using static Contree.Server.Configuration.SettingDefinitions;

namespace Contree.Server.Configuration;

/// <summary>
/// The cloud credentials' extra sources besides this server's own settings: the environment variables the Contree
/// tools share (CONTREE_TOKEN, CONTREE_URL, CONTREE_PROJECT, the NEBIUS_API_KEY + NEBIUS_AI_PROJECT pair) and the
/// active contree-cli profile. <see cref="SettingsLoader"/> decides where each layer goes.
/// </summary>
internal static class CloudCredentials
{
    public const string ContreeDevUrl = "https://contree.dev";
    public const string TokenFactoryUrl = "https://api.tokenfactory.nebius.com/sandboxes";
    public const string NebiusKeyEnvVar = "NEBIUS_API_KEY";
    public const string NebiusProjectEnvVar = "NEBIUS_AI_PROJECT";

    public static readonly IReadOnlyDictionary<string, CloudAuthType> AuthTypes = new Dictionary<string, CloudAuthType>
    {
        ["jwt"] = CloudAuthType.Jwt,
        ["iam"] = CloudAuthType.Iam,
    };

    private static readonly (string Setting, string EnvVar)[] ContreeEnvironment =
        [(Token, "CONTREE_TOKEN"), (Url, "CONTREE_URL"), (Project, "CONTREE_PROJECT")];

    public static string DefaultUrl(CloudAuthType type) => type == CloudAuthType.Iam ? TokenFactoryUrl : ContreeDevUrl;

    /// <summary>
    /// CONTREE_TOKEN, CONTREE_URL and CONTREE_PROJECT, each on its own; below them the NEBIUS pair, which counts only when
    /// both halves are set (a Nebius API key is an IAM credential, so the pair also means iam).
    /// </summary>
    public static void ApplyContreeEnvironment(Func<string, string?> environment, Dictionary<string, SettingValue> values, List<SettingsNotice> notices)
    {
        var key = environment(NebiusKeyEnvVar) is { Length: > 0 } k ? k : null;
        var project = environment(NebiusProjectEnvVar) is { Length: > 0 } p ? p : null;
        if (key is not null && project is not null)
        {
            var source = $"environment variables {NebiusKeyEnvVar} and {NebiusProjectEnvVar}";
            values[Project] = new SettingValue(project, source);
            if (environment("CONTREE_TOKEN") is not { Length: > 0 })
            {
                // iam goes with the Nebius key only: CONTREE_TOKEN, which wins over the key, may be a jwt token.
                values[Token] = new SettingValue(key, source);
                values[AuthType] = new SettingValue("iam", source);
            }
        }
        else if (key is not null || project is not null)
        {
            var (set, missing) = key is not null ? (NebiusKeyEnvVar, NebiusProjectEnvVar) : (NebiusProjectEnvVar, NebiusKeyEnvVar);
            notices.Add(new SettingsNotice(Microsoft.Extensions.Logging.LogLevel.Information, $"{set} is ignored: it counts only together with {missing}"));
        }

        foreach (var (setting, envVar) in ContreeEnvironment)
        {
            if (environment(envVar) is { Length: > 0 } value)
            {
                values[setting] = new SettingValue(value, $"environment variable {envVar}");
            }
        }
    }

    /// <summary>
    /// Fills token, url, auth type and project that no other source set from the selected profile: the one named by
    /// --profile, CONTREE_PROFILE or mcp.ini's profile (an error when it does not exist), else by auth.ini's
    /// <c>profile =</c> (a warning when it does not exist), else <c>default</c> when there is one.
    /// </summary>
    public static AuthProfile? ApplyProfile(Dictionary<string, SettingValue> values, string path, List<SettingsNotice> notices)
    {
        var file = AuthProfiles.Read(path);
        values.TryGetValue(Profile, out var requested);
        var requestedName = requested?.Value.Trim() is { Length: > 0 } r ? r : null;
        if (file is null)
        {
            return requestedName is null
                ? null
                : throw new SettingsException($"profile '{requestedName}' (from {requested!.Source}) not found: {path} does not exist; create it with 'contree auth'");
        }

        if (AuthProfiles.ReadableByOthersWarning(path, file.HoldsToken) is { } warning)
        {
            notices.Add(warning);
        }

        AuthProfile? profile;
        if (requestedName is not null)
        {
            profile = file.Profiles.GetValueOrDefault(requestedName) ?? throw new SettingsException(
                $"profile '{requestedName}' (from {requested!.Source}) not found in {path}; profiles there: {Names(file)}");
        }
        else if (file.ActiveName is { } active)
        {
            profile = file.Profiles.GetValueOrDefault(active);
            if (profile is null)
            {
                notices.Add(new SettingsNotice(Microsoft.Extensions.Logging.LogLevel.Warning, $"{path} names the active profile '{active}', which it does not contain (profiles: {Names(file)}); no profile is used"));
            }
        }
        else
        {
            profile = file.Profiles.GetValueOrDefault(AuthProfiles.DefaultProfileName);
        }

        if (profile is null)
        {
            return null;
        }

        // Field by field: the profile only fills what flags, the environment and mcp.ini left open.
        foreach (var (setting, value) in new[] { (Token, profile.Token), (Url, profile.Url), (AuthType, profile.Type), (Project, profile.Project) })
        {
            if (value is not null)
            {
                values.TryAdd(setting, value);
            }
        }

        return profile;
    }

    /// <summary>Where each credential came from (never the token), and what does not fit together.</summary>
    public static IEnumerable<SettingsNotice> Describe(
        Dictionary<string, SettingValue> values, CloudAuthType authType, string url, string project, AuthProfile? profile)
    {
        string From(string setting) => values.TryGetValue(setting, out var value) ? value.Source : "the default";

        var type = authType == CloudAuthType.Iam ? "iam" : "jwt";
        var profileText = profile is null ? "no contree-cli profile" : $"contree-cli profile '{profile.Name}'";
        var projectText = project.Length == 0 ? "no project" : $"project {project} from {From(Project)}";
        yield return new SettingsNotice(
            Microsoft.Extensions.Logging.LogLevel.Information,
            $"Cloud backend at {url} (from {From(Url)}), auth type {type} (from {From(AuthType)}), token from {From(Token)}, {projectText}; {profileText}");
        if (authType == CloudAuthType.Iam && project.Length == 0)
        {
            yield return new SettingsNotice(
                Microsoft.Extensions.Logging.LogLevel.Warning,
                "iam authentication without a project: requests carry no Project header; set --project, CONTREE_PROJECT or the profile's project");
        }
        else if (authType == CloudAuthType.Jwt && project.Length > 0)
        {
            yield return new SettingsNotice(Microsoft.Extensions.Logging.LogLevel.Information, $"the project (from {From(Project)}) is not sent: it only goes with iam authentication");
        }
    }

    private static string Names(AuthProfiles file) =>
        file.Profiles.Count == 0 ? "none" : string.Join(", ", file.Profiles.Keys.Order(StringComparer.Ordinal));
}
