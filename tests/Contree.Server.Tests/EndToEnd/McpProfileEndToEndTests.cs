using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// The cloud backend configured only by a contree-cli profile: an MCP client → <c>contree-mcp --backend cloud --profile
/// NAME</c> with <c>auth.ini</c> in a temporary CONTREE_HOME → <c>contree-mcp api --require-project</c> (the /v1 API,
/// which checks the Project header an iam profile sends).
/// </summary>
public sealed class McpProfileEndToEndTests
{
    private const string ProfileToken = "e2e-profile-token-3b7d";

    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    private static ServerInstance CloudServer(Uri baseUrl, string profile, string project, params string[] extra)
    {
        var mcp = new ServerInstance(["--backend", "cloud", "--profile", profile, .. extra]);
        var home = Path.Combine(mcp.Root, "contree-home");
        Directory.CreateDirectory(home);
        var auth = Path.Combine(home, "auth.ini");
        File.WriteAllText(auth, $"""
            [DEFAULT]
            profile = unused

            [profile:{profile}]
            type = iam
            url = {baseUrl}
            token = {ProfileToken}
            project = {project}
            """);
        File.SetUnixFileMode(auth, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        mcp.ExtraEnvironment["CONTREE_HOME"] = home;
        return mcp;
    }

    [Fact]
    public async Task CloudBackend_IamProfile_ProjectHeaderAcceptedOrRefusedByTheApi()
    {
        await using var api = new ServerInstance("--require-project", "project-e2e");
        var (baseUrl, _) = await api.StartApiAsync(Token);
        await using var right = CloudServer(baseUrl, "work", "project-e2e", "--log-level", "info");
        await using var wrong = CloudServer(baseUrl, "other", "project-else");

        var listed = await (await right.StartStdioAsync(Token)).CallOkAsync("contree_list_images", new { });
        var refused = await (await wrong.StartStdioAsync(Token)).CallErrorAsync("contree_list_images", new { });

        Assert.Equal(0, listed.GetProperty("images").GetArrayLength());
        Assert.Contains("project-else", refused, StringComparison.Ordinal);
        Assert.Contains("not the project this API serves", refused, StringComparison.Ordinal);
        Assert.Contains($"Cloud backend at {baseUrl}", right.StandardError, StringComparison.Ordinal);
        Assert.Contains("auth type iam", right.StandardError, StringComparison.Ordinal);
        Assert.Contains("contree-cli profile 'work'", right.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(ProfileToken, right.StandardError, StringComparison.Ordinal);
        Assert.DoesNotContain(ProfileToken, wrong.StandardError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ApiCommand_WithoutRequireProject_IgnoresTheHeader()
    {
        await using var api = new ServerInstance();
        var (baseUrl, _) = await api.StartApiAsync(Token);
        await using var mcp = CloudServer(baseUrl, "work", "any-project");

        var listed = await (await mcp.StartStdioAsync(Token)).CallOkAsync("contree_list_images", new { });

        Assert.Equal(0, listed.GetProperty("images").GetArrayLength());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task CloudBackend_IamProfile_ImportAndRunThroughTheApi()
    {
        await using var api = new ServerInstance("--require-project", "project-e2e");
        var layout = OciImageWriter.WriteBusyboxLayout(api.Root);
        var (baseUrl, _) = await api.StartApiAsync(Token);
        await using var mcp = CloudServer(baseUrl, "work", "project-e2e");
        var session = await mcp.StartStdioAsync(Token);

        var import = await session.CallOkAsync("contree_import_image", new { registry_url = $"oci:{layout}:1", tag = "e2e/profile:1" });
        var run = await session.CallOkAsync("contree_run", new { command = "echo via-profile", image = "tag:e2e/profile:1" });

        Assert.True(import.GetProperty("status").GetString() == "SUCCESS", $"import: {import}");
        Assert.Equal("via-profile\n", run.GetProperty("stdout").GetString());
    }
}
