using Contree.Server.Configuration;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging;

namespace Contree.Server.Tests.Configuration;

/// <summary>Where the cloud backend's token, URL, project and auth type come from (docs/configuration.md, Cloud credentials).</summary>
public sealed class CloudCredentialsTests : IDisposable
{
    private const string TokenFactory = "https://api.tokenfactory.nebius.com/sandboxes";

    private readonly TestDirectory _home = new();
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);

    public CloudCredentialsTests()
    {
        _env["HOME"] = _home.Path;
        _env["CONTREE_HOME"] = _home.Combine("contree-home");
    }

    public void Dispose() => _home.Dispose();

    private ServerSettings Load(params string[] args) => SettingsLoader.Load(CommandLine.Parse(args), name => _env.GetValueOrDefault(name));

    private string WriteAuth(string text) => _home.Write("contree-home/auth.ini", text);

    private string WriteMcpIni(string text) => _home.Write(".config/contree/mcp.ini", text);

    [Fact]
    public void Load_OnlyAnIamProfile_PicksTheCloudWithTokenFactoryUrlAndProject()
    {
        WriteAuth("[DEFAULT]\nprofile = work\n[profile:work]\ntype = iam\ntoken = t-work\nproject = project-e00a\n");

        var settings = Load();

        Assert.Equal(BackendKind.Cloud, settings.Backend);
        Assert.Equal(CloudAuthType.Iam, settings.AuthType);
        Assert.Equal(TokenFactory, settings.Url);
        Assert.Equal("t-work", settings.Token);
        Assert.Equal("project-e00a", settings.Project);
    }

    [Fact]
    public void Load_JwtProfile_ContreeDevAndNoProjectSent()
    {
        WriteAuth("[profile:default]\ntoken = t-jwt\nproject = p-ignored\n");

        var settings = Load();

        Assert.Equal(BackendKind.Cloud, settings.Backend);
        Assert.Equal(CloudAuthType.Jwt, settings.AuthType);
        Assert.Equal("https://contree.dev", settings.Url);
        Assert.Equal("", settings.Project);
        Assert.Contains(settings.Notices, n => n.Message.Contains("only goes with iam", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_ProfileWithoutToken_StaysLocal_CloudDemandedNamesTheSources()
    {
        WriteAuth("[profile:default]\ntype = iam\nproject = p\n");

        Assert.Equal(BackendKind.Local, Load().Backend);
        var error = Assert.Throws<SettingsException>(() => Load("--backend", "cloud"));
        Assert.Contains("CONTREE_TOKEN", error.Message, StringComparison.Ordinal);
        Assert.Contains("--profile", error.Message, StringComparison.Ordinal);
    }

    /// <summary>Layers from the highest: flag, CONTREE_MCP_*, CONTREE_*, the NEBIUS pair, mcp.ini, the profile.</summary>
    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public void Load_TokenAndProject_TheHighestLayerSetWins(int highest)
    {
        string[] names = ["flag", "mcpenv", "contreeenv", "nebius", "mcpini", "profile"];
        WriteAuth("[profile:default]\ntype = iam\n" + (highest <= 5 ? "token = token-profile\nproject = project-profile\n" : ""));
        WriteMcpIni(highest <= 4 ? "[DEFAULT]\ntoken = token-mcpini\nproject = project-mcpini\n" : "");
        if (highest <= 3)
        {
            _env["NEBIUS_API_KEY"] = "token-nebius";
            _env["NEBIUS_AI_PROJECT"] = "project-nebius";
        }

        if (highest <= 2)
        {
            _env["CONTREE_TOKEN"] = "token-contreeenv";
            _env["CONTREE_PROJECT"] = "project-contreeenv";
        }

        if (highest <= 1)
        {
            _env["CONTREE_MCP_TOKEN"] = "token-mcpenv";
            _env["CONTREE_MCP_PROJECT"] = "project-mcpenv";
        }

        var settings = highest == 0 ? Load("--token", "token-flag", "--project", "project-flag") : Load();

        Assert.Equal("token-" + names[highest], settings.Token);
        Assert.Equal("project-" + names[highest], settings.Project);
        Assert.Equal(CloudAuthType.Iam, settings.AuthType);
        Assert.DoesNotContain(settings.Notices, n => n.Message.Contains("token-", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(0, "https://flag.example")]
    [InlineData(1, "https://mcpenv.example")]
    [InlineData(2, "https://contreeenv.example")]
    [InlineData(3, "https://mcpini.example")]
    [InlineData(4, "https://profile.example")]
    [InlineData(5, TokenFactory)]
    public void Load_Url_TheHighestLayerSetWins_ElseTheDefaultOfTheType(int highest, string expected)
    {
        WriteAuth("[profile:default]\ntype = iam\ntoken = t\n" + (highest <= 4 ? "url = https://profile.example\n" : ""));
        WriteMcpIni(highest <= 3 ? "url = https://mcpini.example\n" : "");
        if (highest <= 2)
        {
            _env["CONTREE_URL"] = "https://contreeenv.example";
        }

        if (highest <= 1)
        {
            _env["CONTREE_MCP_URL"] = "https://mcpenv.example";
        }

        var settings = highest == 0 ? Load("--url", "https://flag.example") : Load();

        Assert.Equal(expected, settings.Url);
    }

    [Fact]
    public void Load_FieldByField_EachFromItsOwnHighestSource()
    {
        WriteAuth("[profile:default]\ntype = iam\ntoken = t-profile\nurl = https://profile.example\nproject = p-profile\n");
        _env["CONTREE_TOKEN"] = "t-env";

        var settings = Load("--project", "p-flag");

        Assert.Equal("t-env", settings.Token);
        Assert.Equal("https://profile.example", settings.Url);
        Assert.Equal("p-flag", settings.Project);
        Assert.Equal(CloudAuthType.Iam, settings.AuthType);
    }

    [Fact]
    public void Load_AuthTypeFlag_OverridesTheProfilesType()
    {
        WriteAuth("[profile:default]\ntype = iam\ntoken = t\nproject = p\n");

        var settings = Load("--auth-type", "jwt");

        Assert.Equal(CloudAuthType.Jwt, settings.AuthType);
        Assert.Equal("https://contree.dev", settings.Url);
        Assert.Equal("", settings.Project);
    }

    [Fact]
    public void Load_InvalidType_ErrorNamesTheFileAndLine()
    {
        var path = WriteAuth("[profile:default]\ntoken = t\ntype = oauth\n");

        var error = Assert.Throws<SettingsException>(() => Load());

        Assert.Equal($"invalid value 'oauth' for --auth-type (from {path}:3 [profile:default] type): expected one of jwt, iam", error.Message);
    }

    [Theory]
    [InlineData("flag", "t-flag")]
    [InlineData("env", "t-env")]
    [InlineData("mcpini", "t-mcpini")]
    [InlineData("file", "t-file")]
    [InlineData("none", "t-default")]
    public void Load_ProfileSelection_FlagThenEnvironmentThenMcpIniThenAuthIniThenDefault(string highest, string token)
    {
        var activeLine = highest is "none" ? "" : "profile = file\n";
        WriteAuth($"[DEFAULT]\n{activeLine}[profile:flag]\ntoken = t-flag\n[profile:env]\ntoken = t-env\n[profile:mcpini]\ntoken = t-mcpini\n"
            + "[profile:file]\ntoken = t-file\n[profile:default]\ntoken = t-default\n");
        if (highest is "flag" or "env" or "mcpini")
        {
            WriteMcpIni("profile = mcpini\n");
        }

        if (highest is "flag" or "env")
        {
            _env["CONTREE_PROFILE"] = "env";
        }

        var settings = highest == "flag" ? Load("--profile", "flag") : Load();

        Assert.Equal(token, settings.Token);
        Assert.Contains(settings.Notices, n => n.Level == LogLevel.Information && n.Message.Contains($"contree-cli profile '{token[2..]}'", StringComparison.Ordinal));
    }

    [Fact]
    public void Load_RequestedProfileMissing_ErrorListsTheProfiles()
    {
        var path = WriteAuth("[profile:b]\ntoken = t\n[profile:a]\ntoken = t\n");

        var error = Assert.Throws<SettingsException>(() => Load("--profile", "work"));

        Assert.Equal($"profile 'work' (from command-line option --profile) not found in {path}; profiles there: a, b", error.Message);
    }

    [Fact]
    public void Load_RequestedProfileWithoutFile_ErrorNamesThePath()
    {
        _env["CONTREE_PROFILE"] = "work";

        var error = Assert.Throws<SettingsException>(() => Load());

        Assert.Contains("(from environment variable CONTREE_PROFILE) not found", error.Message, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(_home.Path, "contree-home", "auth.ini"), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ActiveProfileOfTheFileMissing_WarnsAndUsesNone()
    {
        WriteAuth("[DEFAULT]\nprofile = gone\n[profile:default]\ntoken = t\n");

        var settings = Load();

        Assert.Equal(BackendKind.Local, settings.Backend);
        Assert.Contains(settings.Notices, n => n.Level == LogLevel.Warning && n.Message.Contains("'gone'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("NEBIUS_API_KEY", "NEBIUS_AI_PROJECT")]
    [InlineData("NEBIUS_AI_PROJECT", "NEBIUS_API_KEY")]
    public void Load_LoneNebiusVariable_IgnoredWithAnInfoNotice(string set, string missing)
    {
        _env[set] = "value";

        var settings = Load();

        Assert.Equal(BackendKind.Local, settings.Backend);
        Assert.Equal("", settings.Token);
        var notice = Assert.Single(settings.Notices);
        Assert.Equal(LogLevel.Information, notice.Level);
        Assert.Equal($"{set} is ignored: it counts only together with {missing}", notice.Message);
    }

    [Fact]
    public void Load_NebiusPair_MeansIamAtTokenFactory()
    {
        _env["NEBIUS_API_KEY"] = "k";
        _env["NEBIUS_AI_PROJECT"] = "project-n";

        var settings = Load();

        Assert.Equal(BackendKind.Cloud, settings.Backend);
        Assert.Equal(CloudAuthType.Iam, settings.AuthType);
        Assert.Equal(TokenFactory, settings.Url);
        Assert.Equal("k", settings.Token);
        Assert.Equal("project-n", settings.Project);
    }

    [Fact]
    public void Load_NebiusPairWithContreeToken_TheContreeTokenWinsAndNoIamIsImplied()
    {
        _env["NEBIUS_API_KEY"] = "k";
        _env["NEBIUS_AI_PROJECT"] = "project-n";
        _env["CONTREE_TOKEN"] = "t-contree";

        var settings = Load();

        Assert.Equal("t-contree", settings.Token);
        Assert.Equal(CloudAuthType.Jwt, settings.AuthType);
        Assert.Equal("https://contree.dev", settings.Url);
    }

    [Fact]
    public void Load_SeedConfigurationAlone_WorksAsBefore()
    {
        WriteMcpIni("[DEFAULT]\nurl = https://contree.dev/\ntoken = seed-token\n");

        var settings = Load();

        Assert.Equal(BackendKind.Cloud, settings.Backend);
        Assert.Equal(CloudAuthType.Jwt, settings.AuthType);
        Assert.Equal("seed-token", settings.Token);
        Assert.Equal("https://contree.dev/", settings.Url);
    }

    [Fact]
    public void Load_LocalBackend_DoesNotReadTheProfileFile()
    {
        WriteAuth("this is not an ini file\n");

        Assert.Equal(BackendKind.Local, Load("--backend", "local").Backend);
        Assert.Equal(BackendKind.Local, Load("api").Backend);
        Assert.Equal(ServerCommand.Doctor, Load("doctor").Command);
        Assert.Throws<SettingsException>(() => Load());
    }

    [Fact]
    public void Load_SourceNotice_NamesEverySourceButNeverTheToken()
    {
        var path = WriteAuth("[profile:default]\ntype = iam\ntoken = secret-profile-token\nproject = p1\n");
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);

        var settings = Load();

        var notice = Assert.Single(settings.Notices);
        Assert.Equal(LogLevel.Information, notice.Level);
        Assert.Equal(
            $"Cloud backend at {TokenFactory} (from the default), auth type iam (from {path}:2 [profile:default] type), "
            + $"token from {path}:3 [profile:default] token, project p1 from {path}:4 [profile:default] project; contree-cli profile 'default'",
            notice.Message);
    }

    [Fact]
    public void Load_WorldReadableFilesWithTokens_Warned()
    {
        var auth = WriteAuth("[profile:default]\ntoken = t\n");
        var ini = WriteMcpIni("token = t2\n");
        File.SetUnixFileMode(auth, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        File.SetUnixFileMode(ini, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead);

        var warnings = Load().Notices.Where(n => n.Level == LogLevel.Warning).Select(n => n.Message).ToList();

        Assert.Equal(2, warnings.Count);
        Assert.Contains(warnings, w => w.StartsWith($"{auth} holds a token", StringComparison.Ordinal));
        Assert.Contains(warnings, w => w.StartsWith($"{ini} holds a token", StringComparison.Ordinal));

        File.SetUnixFileMode(auth, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        File.SetUnixFileMode(ini, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Assert.DoesNotContain(Load().Notices, n => n.Level == LogLevel.Warning);
    }

    [Fact]
    public void Load_ApiCommand_RequireProjectAndProfileAccepted()
    {
        WriteAuth("[profile:x]\ntype = iam\ntoken = t\nproject = p-x\n");

        var settings = Load("api", "--backend", "cloud", "--profile", "x", "--require-project", "p-own");

        Assert.Equal(BackendKind.Cloud, settings.Backend);
        Assert.Equal("p-x", settings.Project);
        Assert.Equal("p-own", settings.Api.RequireProject);
        Assert.Equal("", Load("api").Api.RequireProject);
    }
}
