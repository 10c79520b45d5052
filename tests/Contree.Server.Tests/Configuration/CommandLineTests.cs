using Contree.Server.Configuration;

namespace Contree.Server.Tests.Configuration;

public sealed class CommandLineTests
{
    [Fact]
    public void Parse_FlagsInBothForms_MapToSettingNames()
    {
        var line = CommandLine.Parse(["--mode", "http", "--http-port=8000", "--tool-prefix", "", "--engine-host-network"]);

        Assert.Equal(ServerCommand.Serve, line.Command);
        Assert.Equal("http", line.Values[SettingDefinitions.Mode].Value);
        Assert.Equal("8000", line.Values[SettingDefinitions.HttpPort].Value);
        Assert.Equal("", line.Values[SettingDefinitions.ToolPrefix].Value);
        Assert.Equal("true", line.Values[SettingDefinitions.EngineHostNetwork].Value);
        Assert.Equal("command-line option --http-port", line.Values[SettingDefinitions.HttpPort].Source);
    }

    [Fact]
    public void Parse_ApiCommand_MapsListenPortAndTokenToApiSettings()
    {
        var line = CommandLine.Parse(["api", "--listen", "0.0.0.0", "--port", "1234", "--token", "t"]);

        Assert.Equal(ServerCommand.Api, line.Command);
        Assert.Equal("0.0.0.0", line.Values[SettingDefinitions.ApiListen].Value);
        Assert.Equal("1234", line.Values[SettingDefinitions.ApiPort].Value);
        Assert.Equal("t", line.Values[SettingDefinitions.ApiToken].Value);
        Assert.False(line.Values.ContainsKey(SettingDefinitions.Token));
    }

    [Fact]
    public void Parse_DoctorCommand_TakesTheEngineOptionsOfBothCommands()
    {
        var line = CommandLine.Parse(["doctor", "--data-dir", "/srv/contree", "--engine-egress-netns", "egress"]);

        Assert.Equal(ServerCommand.Doctor, line.Command);
        Assert.Equal("/srv/contree", line.Values[SettingDefinitions.DataDir].Value);
        Assert.Equal("egress", line.Values[SettingDefinitions.EngineEgressNamespace].Value);
        Assert.Contains("unknown option '--nope'", Assert.Throws<SettingsException>(() => CommandLine.Parse(["doctor", "--nope"])).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(new[] { "--nope" }, "unknown option '--nope'")]
    [InlineData(new[] { "--listen", "x" }, "it belongs to the 'api' command")]
    [InlineData(new[] { "api", "--mode", "http" }, "not the 'api' command")]
    [InlineData(new[] { "serve" }, "unexpected argument 'serve'")]
    [InlineData(new[] { "--http-port" }, "option --http-port needs a value")]
    [InlineData(new[] { "--url", "a", "--url", "b" }, "given more than once")]
    public void Parse_BadArguments_ThrowsNamingTheProblem(string[] args, string expected)
    {
        var error = Assert.Throws<SettingsException>(() => CommandLine.Parse(args));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HelpAndVersion_AreFlagsNotSettings()
    {
        Assert.True(CommandLine.Parse(["-h"]).Help);
        Assert.True(CommandLine.Parse(["api", "--help"]).Help);
        Assert.True(CommandLine.Parse(["--version"]).Version);
    }

    [Fact]
    public void HelpText_Render_ListsEveryFlagEnvVarAndIniKey()
    {
        var help = HelpText.Render("1.2.3");

        foreach (var definition in SettingDefinitions.All)
        {
            Assert.Contains(definition.Flag, help, StringComparison.Ordinal);
            Assert.Contains($"[ENV: {definition.EnvVar}]", help, StringComparison.Ordinal);
            Assert.Contains($"[INI: {definition.IniLocation}]", help, StringComparison.Ordinal);
            Assert.Contains($"[default: {definition.DefaultText}]", help, StringComparison.Ordinal);
        }

        Assert.Contains("CONTREE_MCP_CONFIG", help, StringComparison.Ordinal);
    }
}
