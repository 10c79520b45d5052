using Contree.Server.Configuration;
using Contree.Server.Tests.Support;

using Contree.Tests.Common;

namespace Contree.Server.Tests.Hosting;

/// <summary>The real executable's command line: help, version, usage errors (exit 2) and secrecy of tokens.</summary>
public sealed class ExecutableTests : IDisposable
{
    private const string Secret = "tok-3a9f-very-secret";
    private readonly TestDirectory _home = new();

    public void Dispose() => _home.Dispose();

    [Fact]
    public async Task Help_WithTokenConfigured_ListsEveryEnvVarExitsZeroAndHidesToken()
    {
        var env = ServerExecutable.Environment(_home.Path);
        env["CONTREE_MCP_TOKEN"] = Secret;

        var (exitCode, stdout, stderr) = await ServerExecutable.RunAsync(["--help"], env);

        Assert.Equal(0, exitCode);
        foreach (var definition in SettingDefinitions.All)
        {
            Assert.Contains(definition.EnvVar, stdout, StringComparison.Ordinal);
        }

        Assert.Contains("CONTREE_MCP_CONFIG", stdout, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stdout + stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Version_PrintsProductAndVersion()
    {
        var (exitCode, stdout, _) = await ServerExecutable.RunAsync(["--version"], ServerExecutable.Environment(_home.Path));

        Assert.Equal(0, exitCode);
        Assert.StartsWith("contree-mcp ", stdout, StringComparison.Ordinal);
    }

    /// <summary>As root (CI) every check passes and the exit code says the engine can run; the table names each check.</summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Doctor_AsRoot_PrintsEveryCheckAndExitsZero()
    {
        var (exitCode, stdout, _) = await ServerExecutable.RunAsync(["doctor", "--data-dir", Path.Combine(_home.Path, "data")], ServerExecutable.Environment(_home.Path));

        Assert.True(exitCode == 0, stdout);
        Assert.Contains("mode: root", stdout, StringComparison.Ordinal);
        foreach (var check in new[] { "kernel", "identity", "user namespaces", "overlayfs", "bubblewrap", "util-linux", "dash", "seccomp", "cgroups", "sandbox ids", "network", "uidmap", "data directory" })
        {
            Assert.Matches($"(?m)^{check} +(ok|warn) ", stdout);
        }
    }

    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    [Theory]
    [InlineData(new[] { "--http-port", "99999", "--mode", "http" }, "invalid value '99999' for --http-port (from command-line option --http-port)")]
    [InlineData(new[] { "--mode", "carrier-pigeon" }, "expected one of stdio, http")]
    [InlineData(new[] { "--bogus" }, "unknown option '--bogus'")]
    [InlineData(new[] { "api", "--listen", "0.0.0.0" }, "refusing to serve the Contree API on 0.0.0.0 without a token")]
    [InlineData(new[] { "--mode", "http", "--http-listen", "0.0.0.0" }, "--http-allowed-hosts")]
    public async Task InvalidArguments_ExitTwoWithMessageAndNothingOnStdout(string[] args, string expected)
    {
        var env = ServerExecutable.Environment(_home.Path);
        env["CONTREE_MCP_TOKEN"] = Secret;

        var (exitCode, stdout, stderr) = await ServerExecutable.RunAsync(args, env);

        Assert.Equal(SettingsException.ExitCode, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains(expected, stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidEnvironmentValue_NamesVariableAndExitsTwo()
    {
        var env = ServerExecutable.Environment(_home.Path);
        env["CONTREE_MCP_ENGINE_MEMORY_LIMIT"] = "huge";

        var (exitCode, stdout, stderr) = await ServerExecutable.RunAsync([], env);

        Assert.Equal(2, exitCode);
        Assert.Equal("", stdout);
        Assert.Contains("environment variable CONTREE_MCP_ENGINE_MEMORY_LIMIT", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task MalformedIniFile_ReportsFileAndLine()
    {
        var env = ServerExecutable.Environment(_home.Path);
        var path = _home.Write("bad.ini", "[DEFAULT]\ntoken = " + Secret + "\nthis line is wrong\n");
        env["CONTREE_MCP_CONFIG"] = path;

        var (exitCode, _, stderr) = await ServerExecutable.RunAsync([], env);

        Assert.Equal(2, exitCode);
        Assert.Contains($"{path}:3:", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidTokenInIni_ErrorDoesNotEchoIt()
    {
        var env = ServerExecutable.Environment(_home.Path);
        env["CONTREE_MCP_CONFIG"] = _home.Write("mcp.ini", "[http]\ntoken = has space " + Secret + "\n");

        var (exitCode, _, stderr) = await ServerExecutable.RunAsync(["--mode", "http"], env);

        Assert.Equal(2, exitCode);
        Assert.Contains("--http-token", stderr, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, stderr, StringComparison.Ordinal);
    }
}
