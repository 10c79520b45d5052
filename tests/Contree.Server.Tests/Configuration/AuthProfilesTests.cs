using Contree.Server.Configuration;
using Contree.Tests.Common;
using Microsoft.Extensions.Logging;

namespace Contree.Server.Tests.Configuration;

public sealed class AuthProfilesTests : IDisposable
{
    private readonly TestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public void Parse_ProfilesAndActiveName_ReadWithTheirSources()
    {
        var file = AuthProfiles.Parse(
            "[DEFAULT]\nprofile = work\n\n[profile:work]\ntype = iam\ntoken = t-work\nproject = project-e00a\n\n[profile:legacy]\ntoken = t-legacy\nurl = https://contree.dev\n",
            "/x/auth.ini");

        Assert.Equal("work", file.ActiveName);
        Assert.Equal(["legacy", "work"], file.Profiles.Keys.Order(StringComparer.Ordinal));
        var work = file.Profiles["work"];
        Assert.Equal("iam", work.Type!.Value);
        Assert.Equal("t-work", work.Token!.Value);
        Assert.Equal("project-e00a", work.Project!.Value);
        Assert.Null(work.Url);
        Assert.Equal("/x/auth.ini:6 [profile:work] token", work.Token.Source);
        var legacy = file.Profiles["legacy"];
        Assert.Null(legacy.Type);
        Assert.Null(legacy.Project);
        Assert.Equal("https://contree.dev", legacy.Url!.Value);
        Assert.True(file.HoldsToken);
    }

    [Fact]
    public void Parse_DefaultSectionKeys_AreEveryProfilesFallback_EmptyValuesUnset()
    {
        var file = AuthProfiles.Parse("[DEFAULT]\nurl = https://shared.example\ntype = iam\n[profile:a]\ntoken =\nproject = p1\n[profile:b]\nurl = https://own.example\n", "auth.ini");

        Assert.Null(file.ActiveName);
        Assert.Equal("https://shared.example", file.Profiles["a"].Url!.Value);
        Assert.Equal("iam", file.Profiles["a"].Type!.Value);
        Assert.Null(file.Profiles["a"].Token);
        Assert.Equal("https://own.example", file.Profiles["b"].Url!.Value);
        Assert.False(file.HoldsToken);
    }

    [Fact]
    public void Parse_OtherSectionsIgnored_EmptyProfileNameRejected()
    {
        var file = AuthProfiles.Parse("[cli]\ncolor = auto\n[profile:x]\ntoken = t\n", "auth.ini");
        Assert.Equal(["x"], file.Profiles.Keys);

        var error = Assert.Throws<SettingsException>(() => AuthProfiles.Parse("[profile:]\ntoken = t\n", "/x/auth.ini"));
        Assert.StartsWith("/x/auth.ini:2: a profile section needs a name", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Read_MissingFile_IsNull()
    {
        Assert.Null(AuthProfiles.Read(_dir.Combine("nope", "auth.ini")));
    }

    [Fact]
    public void DefaultPath_ContreeHomeThenXdgConfigThenHome()
    {
        var env = new Dictionary<string, string>();
        Assert.Equal(Path.Combine("/home/u", ".config", "contree", "auth.ini"), AuthProfiles.DefaultPath(env.GetValueOrDefault, "/home/u"));

        env["XDG_CONFIG_HOME"] = "/xdg";
        Assert.Equal(Path.Combine("/xdg", "contree", "auth.ini"), AuthProfiles.DefaultPath(env.GetValueOrDefault, "/home/u"));

        env["CONTREE_HOME"] = "~/ch";
        Assert.Equal(Path.Combine("/home/u", "ch", "auth.ini"), AuthProfiles.DefaultPath(env.GetValueOrDefault, "/home/u"));
    }

    [Theory]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite, false)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead, false)]
    [InlineData(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.OtherRead, true)]
    public void ReadableByOthersWarning_OnlyForAWorldReadableFileWithAToken(UnixFileMode mode, bool warned)
    {
        var path = _dir.Write("auth.ini", "[profile:x]\ntoken = t\n");
        File.SetUnixFileMode(path, mode);

        var warning = AuthProfiles.ReadableByOthersWarning(path, holdsToken: true);

        Assert.Equal(warned, warning is not null);
        if (warning is not null)
        {
            Assert.Equal(LogLevel.Warning, warning.Level);
            Assert.Contains($"chmod 600 {path}", warning.Message, StringComparison.Ordinal);
            Assert.DoesNotContain("token = t", warning.Message, StringComparison.Ordinal);
        }

        Assert.Null(AuthProfiles.ReadableByOthersWarning(path, holdsToken: false));
    }
}
