using Contree.Server.Configuration;
using Microsoft.Extensions.Logging;

using Contree.Tests.Common;

namespace Contree.Server.Tests.Configuration;

public sealed class SettingsLoaderTests : IDisposable
{
    private readonly TestDirectory _home = new();
    private readonly Dictionary<string, string> _env = new(StringComparer.Ordinal);

    public SettingsLoaderTests()
    {
        _env["HOME"] = _home.Path;
    }

    public void Dispose() => _home.Dispose();

    private ServerSettings Load(params string[] args) => SettingsLoader.Load(CommandLine.Parse(args), name => _env.GetValueOrDefault(name));

    private string WriteConfig(string text) => _home.Write(".config/contree/mcp.ini", text);

    [Fact]
    public void Load_NothingConfigured_UsesDefaults()
    {
        var settings = Load();

        Assert.Equal("https://contree.dev", settings.Url);
        Assert.Equal(BackendKind.Local, settings.Backend);
        Assert.Equal(TransportMode.Stdio, settings.Mode);
        Assert.Equal(LogLevel.Warning, settings.LogLevel);
        Assert.Equal("contree_", settings.ToolPrefix);
        Assert.Equal(Path.Combine(_home.Path, ".local", "share", "contree-mcp"), settings.Engine.DataDirectory);
        Assert.Equal(Path.Combine(_home.Path, ".cache", "contree_mcp", "files.db"), settings.Cache.FilesPath);
        Assert.Equal(Path.Combine(_home.Path, ".cache", "contree_mcp", "cache.db"), settings.Cache.GeneralPath);
        Assert.Equal(Path.Combine(_home.Path, ".cache", "contree_mcp", "registry-credentials.json"), settings.Cache.RegistryCredentialsPath);
        Assert.Equal(60, settings.Cache.PruneDays);
        Assert.Null(settings.Engine.MemoryLimitBytes);
    }

    [Fact]
    public void Load_EachLayer_OverridesTheOneBelow()
    {
        WriteConfig("[DEFAULT]\nurl = https://ini.example\nlog_level = error\ntool_prefix = ini_\n[http]\nport = 1001\n[cache]\nprune_days = 5\n");
        _env["CONTREE_MCP_LOG_LEVEL"] = "debug";
        _env["CONTREE_MCP_TOOL_PREFIX"] = "env_";
        _env["CONTREE_MCP_HTTP_PORT"] = "1002";

        var settings = Load("--mode", "http", "--tool-prefix", "flag_");

        Assert.Equal("https://ini.example", settings.Url);        // ini over default
        Assert.Equal(5, settings.Cache.PruneDays);                // ini over default
        Assert.Equal(LogLevel.Debug, settings.LogLevel);          // env over ini
        Assert.Equal(1002, settings.Http.Port);                   // env over ini
        Assert.Equal("flag_", settings.ToolPrefix);               // flag over env over ini
    }

    [Fact]
    public void Load_ConfigEnvVar_PointsToAnotherFileWithCaseInsensitiveKeys()
    {
        _env["CONTREE_MCP_CONFIG"] = _home.Write("other.ini", "[default]\nURL = https://other.example\n[ENGINE]\nMemory_Limit = 512m\n");

        var settings = Load();

        Assert.Equal("https://other.example", settings.Url);
        Assert.Equal(512L * 1024 * 1024, settings.Engine.MemoryLimitBytes);
    }

    [Fact]
    public void Load_MissingConfigFile_IsIgnored()
    {
        _env["CONTREE_MCP_CONFIG"] = _home.Combine("does-not-exist.ini");

        Assert.Equal("https://contree.dev", Load().Url);
    }

    [Fact]
    public void Load_UnknownIniKey_ThrowsWithFileAndLine()
    {
        var path = WriteConfig("[http]\nport = 1\nprot = 2\n");

        var error = Assert.Throws<SettingsException>(() => Load());

        Assert.StartsWith($"{path}:3: unknown setting 'prot' in [http]", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_InvalidIniValue_NamesOptionSourceAndAcceptedValues()
    {
        var path = WriteConfig("[http]\nport = eighty\n");

        var error = Assert.Throws<SettingsException>(() => Load("--mode", "http"));

        Assert.Equal($"invalid value 'eighty' for --http-port (from {path}:2 [http] port): expected an integer from 1 to 65535", error.Message);
    }

    [Theory]
    [InlineData("CONTREE_MCP_MODE", "sse", "--mode", "one of stdio, http")]
    [InlineData("CONTREE_MCP_LOG_LEVEL", "loud", "--log-level", "one of critical, fatal, error, warning, warn, info, debug, trace, notset")]
    [InlineData("CONTREE_MCP_BACKEND", "docker", "--backend", "one of auto, cloud, local")]
    [InlineData("CONTREE_MCP_URL", "ftp://x", "--url", "http:// or https://")]
    [InlineData("CONTREE_MCP_ENGINE_MEMORY_LIMIT", "lots", "--engine-memory-limit", "k, m, g or t suffix")]
    [InlineData("CONTREE_MCP_ENGINE_CPUS", "-1", "--engine-cpus", "number of CPUs")]
    [InlineData("CONTREE_MCP_ENGINE_DISK_LIMIT", "10", "--engine-disk-limit", "at least 1m")]
    [InlineData("CONTREE_MCP_ENGINE_NETWORK", "host", "--engine-network", "one of internet, none")]
    [InlineData("CONTREE_MCP_ENGINE_DENIED_NETWORKS", "10.0.0.0/33", "--engine-denied-networks", "CIDR ranges")]
    [InlineData("CONTREE_MCP_ENGINE_EGRESS_NETNS", "../etc", "--engine-egress-netns", "ip netns add")]
    [InlineData("CONTREE_MCP_ENGINE_HOST_NETWORK", "maybe", "--engine-host-network", "true or false")]
    [InlineData("CONTREE_MCP_TOOL_PREFIX", "bad prefix!", "--tool-prefix", "letters, digits")]
    [InlineData("CONTREE_MCP_CACHE_PRUNE_DAYS", "-3", "--cache-prune-days", "integer from 0")]
    [InlineData("CONTREE_MCP_ENGINE_INSECURE_REGISTRIES", "http://r.lan", "--engine-insecure-registries", "without scheme")]
    public void Load_InvalidEnvironmentValue_NamesOptionAndVariable(string variable, string value, string flag, string expected)
    {
        _env[variable] = value;

        var error = Assert.Throws<SettingsException>(() => Load());

        Assert.Contains($"for {flag} (from environment variable {variable})", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("512m", 512L << 20)]
    [InlineData("2g", 2L << 30)]
    [InlineData("2GiB", 2L << 30)]
    [InlineData("64k", 64L << 10)]
    [InlineData("1048576", 1048576L)]
    [InlineData("0", 0L)]
    public void Load_MemoryLimit_AcceptsSuffixes(string text, long expected)
    {
        Assert.Equal(expected, Load("--engine-memory-limit", text).Engine.MemoryLimitBytes);
    }

    [Theory]
    [InlineData(null, 0L)]
    [InlineData("0", 0L)]
    [InlineData("1m", 1L << 20)]
    [InlineData("4g", 4L << 30)]
    public void Load_DiskLimit_OffByDefaultAndAtLeastOneMebibyte(string? text, long expected)
    {
        var settings = text is null ? Load() : Load("--engine-disk-limit", text);

        Assert.Equal(expected, settings.Engine.DiskLimitBytes);
    }

    [Fact]
    public void Load_Network_InternetByDefaultNoneOnRequest_DeniedListReplacesTheBuiltIn()
    {
        var defaults = Load();
        var configured = Load("--engine-network", "none", "--engine-denied-networks", "10.0.0.0/8, 192.0.2.7", "--engine-egress-netns", "egress-1");

        Assert.True(defaults.Engine.NetworkEnabled);
        Assert.Null(defaults.Engine.DeniedNetworks);
        Assert.Null(defaults.Engine.EgressNamespace);
        Assert.False(configured.Engine.NetworkEnabled);
        Assert.Equal(["10.0.0.0/8", "192.0.2.7/32"], configured.Engine.DeniedNetworks!.Select(static n => n.ToString()));
        Assert.Equal("egress-1", configured.Engine.EgressNamespace);
    }

    [Fact]
    public void Load_InvalidToken_DoesNotEchoTheSecret()
    {
        var error = Assert.Throws<SettingsException>(() => Load("--token", "sec ret-value"));

        Assert.DoesNotContain("sec ret", error.Message, StringComparison.Ordinal);
        Assert.Contains("--token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_AutoBackend_IsCloudWithTokenAndLocalWithout()
    {
        Assert.Equal(BackendKind.Local, Load().Backend);
        _env["CONTREE_MCP_TOKEN"] = "abc";
        Assert.Equal(BackendKind.Cloud, Load().Backend);
        Assert.Equal(BackendKind.Local, Load("--backend", "local").Backend);
        Assert.Equal(BackendKind.Local, Load("api").Backend);
    }

    [Fact]
    public void Load_CloudWithoutToken_Throws()
    {
        var error = Assert.Throws<SettingsException>(() => Load("--backend", "cloud"));

        Assert.Contains("the cloud backend needs a token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_HttpModeDefaultLogLevel_IsInfo()
    {
        Assert.Equal(LogLevel.Information, Load("--mode", "http").LogLevel);
    }

    [Fact]
    public void Load_SpecificListenAddress_IsAddedToAllowedHosts()
    {
        var settings = Load("--mode", "http", "--http-listen", "10.1.2.3");

        Assert.Equal(["127.0.0.1", "localhost", "[::1]", "10.1.2.3"], settings.Http.AllowedHosts);
    }

    [Fact]
    public void Load_LoopbackListen_AllowsOnlyLoopbackNames()
    {
        Assert.Equal(["127.0.0.1", "localhost", "[::1]"], Load("--mode", "http").Http.AllowedHosts);
    }

    [Theory]
    [InlineData("0.0.0.0")]
    [InlineData("::")]
    public void Load_WildcardListenWithoutAllowedHosts_ThrowsExplaining(string listen)
    {
        var error = Assert.Throws<SettingsException>(() => Load("--mode", "http", "--http-listen", listen));

        Assert.Contains("--http-allowed-hosts", error.Message, StringComparison.Ordinal);
        Assert.Contains("'*'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WildcardListenWithAllowedHosts_UsesThem()
    {
        var settings = Load("--mode", "http", "--http-listen", "0.0.0.0", "--http-allowed-hosts", "MyHost.lan, 10.0.0.5,::1");

        Assert.Equal(["myhost.lan", "10.0.0.5", "[::1]"], settings.Http.AllowedHosts);
    }

    [Fact]
    public void Load_ApiOnNetworkWithoutToken_IsRefused()
    {
        var error = Assert.Throws<SettingsException>(() => Load("api", "--listen", "0.0.0.0"));

        Assert.Contains("refusing to serve the Contree API on 0.0.0.0 without a token", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_ApiSettings_FromFlagsEnvAndDefaults()
    {
        _env["CONTREE_MCP_API_TOKEN"] = "t0k";

        var settings = Load("api", "--listen", "0.0.0.0", "--port", "7000");

        Assert.Equal(("0.0.0.0", 7000, "t0k"), (settings.Api.Listen, settings.Api.Port, settings.Api.Token));
        Assert.Equal(9453, Load("api").Api.Port);
    }

    [Fact]
    public void Load_TildePaths_AreExpanded()
    {
        var settings = Load("--cache-files", "~/x/files.db", "--data-dir", "~/data");

        Assert.Equal(Path.Combine(_home.Path, "x", "files.db"), settings.Cache.FilesPath);
        Assert.Equal(Path.Combine(_home.Path, "data"), settings.Engine.DataDirectory);
    }

    [Fact]
    public void Load_XdgDataHome_SetsDefaultDataDirectory()
    {
        _env["XDG_DATA_HOME"] = _home.Combine("xdg");

        Assert.Equal(_home.Combine("xdg", "contree-mcp"), Load().Engine.DataDirectory);
    }
}
