using System.Diagnostics;
using Contree.Tests.Common;
using ModelContextProtocol.Client;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// The NuGet tool package as a user gets it. <c>dotnet pack src/Contree.Server -c Release -o artifacts/packages</c>
/// (test.sh runs it after the build) makes it; the non-root test account, with a fresh home and nothing in its
/// environment, installs it from that folder into a fresh tool path and starts the installed command, and runs it
/// with <c>dotnet dnx</c>; a real MCP client completes a session with each. docs/install.md.
/// </summary>
public sealed class ToolPackageEndToEndTests : IDisposable
{
    private const string User = HostRequirements.TestUser;
    private readonly string _root;
    private readonly string _home;
    private readonly string _packages;

    public ToolPackageEndToEndTests()
    {
        _root = Directory.CreateTempSubdirectory("contree-tool-").FullName;
        _home = Directory.CreateDirectory(Path.Combine(_root, "home")).FullName;
        _packages = Directory.CreateDirectory(Path.Combine(_root, "packages")).FullName;
    }

    public static bool CanRun => HostRequirements.HasTestUser;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact(Skip = HostRequirements.TestUserSkipReason, SkipUnless = nameof(CanRun))]
    public async Task InstalledToolAndDnx_AsANormalUser_CompleteAnMcpSession()
    {
        var built = Path.Combine(RepositoryRoot.Path, "artifacts", "packages");
        var packages = Directory.Exists(built) ? Directory.GetFiles(built, "contree-mcp*.nupkg") : [];
        Assert.True(packages.Length > 0, $"no package in {built}: run 'dotnet pack src/Contree.Server -c Release -o artifacts/packages' (test.sh does)");
        foreach (var package in packages)
        {
            File.Copy(package, Path.Combine(_packages, Path.GetFileName(package)));
        }

        var tools = Directory.CreateDirectory(Path.Combine(_root, "tools")).FullName;
        File.SetUnixFileMode(_root, (UnixFileMode)0b111_101_101);
        await RunAsync("/usr/bin/chown", User, _home, tools);
        var install = await RunAsync(
            "/usr/sbin/runuser", ["-u", User, "--", .. UserEnvironment(), "/usr/bin/dotnet", "tool", "install", "contree-mcp", "--tool-path", tools, "--source", _packages]);
        Assert.True(install.ExitCode == 0, $"dotnet tool install exited {install.ExitCode}: {install.Output}");

        var installed = await SessionAsync([Path.Combine(tools, "contree-mcp")], importAndRun: true);
        var viaDnx = await SessionAsync(["/usr/bin/dotnet", "dnx", "contree-mcp", "--yes", "--source", _packages]);

        // A normal user imports and inspects; a run is refused naming the reason and what to do, not an errno.
        Assert.Equal("SUCCESS", installed.Import?.GetProperty("status").GetString());
        Assert.Contains("runs sandboxes as root only for now", installed.Run, StringComparison.Ordinal);
        Assert.Contains("cloud backend", installed.Run, StringComparison.Ordinal);
        Assert.DoesNotContain("errno", installed.Run, StringComparison.Ordinal);
        var doctor = await RunAsync("/usr/sbin/runuser", ["-u", User, "--", .. UserEnvironment(), Path.Combine(tools, "contree-mcp"), "doctor"]);
        Assert.Equal(1, doctor.ExitCode);
        Assert.Matches("(?m)^identity +FAILED +runs as contree-test, not root", doctor.Output);

        foreach (var (listed, images, _, _, _) in new[] { installed, viaDnx })
        {
            Assert.Contains("contree_run", listed);
            Assert.Contains("contree_import_image", listed);
            Assert.True(images.IsError is not true, "list_images failed: " + Text(images));
        }

        // Everything the server wrote belongs to the user, in the user's home: nothing needed root.
        var data = Path.Combine(_home, ".local", "share", "contree-mcp");
        Assert.True(Directory.Exists(data), $"no data directory at {data}");
        var notTheUsers = await RunAsync("/usr/bin/find", _home, tools, "!", "-user", User);
        Assert.Equal((0, ""), notTheUsers);
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    /// <summary>Starts <paramref name="command"/> as the test account and completes an MCP session: tools listed, list_images called.</summary>
    private async Task<(List<string> Tools, ModelContextProtocol.Protocol.CallToolResult Images, TimeSpan Initialized, System.Text.Json.JsonElement? Import, string Run)> SessionAsync(
        string[] command, bool importAndRun = false)
    {
        var errors = new List<string>();
        var transport = new StdioClientTransport(new StdioClientTransportOptions
        {
            Name = "contree-tool-package",
            Command = "/usr/sbin/runuser",
            Arguments = ["-u", User, "--", .. UserEnvironment(), .. command],
            WorkingDirectory = _home,
            StandardErrorLines = line =>
            {
                lock (errors)
                {
                    errors.Add(line);
                }
            },
            ShutdownTimeout = TimeSpan.FromSeconds(20),
        });
        var watch = Stopwatch.StartNew();
        McpClient client;
        try
        {
            client = await McpClient.CreateAsync(transport, cancellationToken: Token);
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            throw new InvalidOperationException($"'{string.Join(' ', command)}' did not start: {exception.Message}\nstderr:\n{string.Join('\n', errors)}", exception);
        }

        var initialized = watch.Elapsed;
        TestContext.Current.TestOutputHelper?.WriteLine($"{string.Join(' ', command)}: initialized after {initialized.TotalSeconds:F2} s");
        await using (client)
        {
            var tools = (await client.ListToolsAsync(cancellationToken: Token)).Select(static t => t.Name).ToList();
            var images = await client.CallToolAsync("contree_list_images", new Dictionary<string, object?>(), cancellationToken: Token);
            if (!importAndRun)
            {
                return (tools, images, initialized, null, "");
            }

            var import = await client.CallToolAsync("contree_import_image", new Dictionary<string, object?> { ["registry_url"] = $"oci:{BusyboxLayout()}:1", ["tag"] = "user/busybox:1" }, cancellationToken: Token);
            var run = await client.CallToolAsync("contree_run", new Dictionary<string, object?> { ["command"] = "echo hi", ["image"] = "tag:user/busybox:1" }, cancellationToken: Token);
            return (tools, images, initialized, import.StructuredContent is { } imported ? System.Text.Json.JsonSerializer.SerializeToElement(imported) : null, Text(run));
        }
    }

    private static string Text(ModelContextProtocol.Protocol.CallToolResult result) =>
        string.Join(" ", result.Content.OfType<ModelContextProtocol.Protocol.TextContentBlock>().Select(static c => c.Text));

    /// <summary>A busybox image as an OCI layout the account can read.</summary>
    private string BusyboxLayout()
    {
        var layout = Path.Combine(_root, "layout");
        return Directory.Exists(layout) ? layout : OciImageWriter.WriteBusyboxLayout(_root);
    }

    /// <summary>What a fresh login of the account has: its home and a plain PATH, nothing of the test's environment.</summary>
    private string[] UserEnvironment() =>
        ["/usr/bin/env", "-i", "HOME=" + _home, "PATH=/usr/local/bin:/usr/bin:/bin", "DOTNET_NOLOGO=1", "DOTNET_CLI_TELEMETRY_OPTOUT=1"];

    private static async Task<(int ExitCode, string Output)> RunAsync(string file, params string[] arguments)
    {
        var (code, output, errors) = await HostCommand.RunAsync(file, arguments, Token);
        return (code, output + errors);
    }
}
