using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// Importing from a registry that requires credentials, through the real executable: registry_auth checks and stores
/// them, import_image uses them, and the secret never appears in tool results, operation views or the server's log.
/// </summary>
public sealed class McpRegistryAuthTests
{
    private const string SkipReason = HostRequirements.SandboxSkipReason + "; " + HostRequirements.RegistrySkipReason;

    public static bool CanRun => HostRequirements.CanRunSandboxes && HostRequirements.CanRunRegistry;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Theory(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    [InlineData(RegistryAuthMode.Basic)]
    [InlineData(RegistryAuthMode.Token)]
    public async Task ImportImage_PrivateRegistry_OnlyAfterRegistryAuthAndSecretNeverShown(RegistryAuthMode mode)
    {
        await using var registry = await RegistryFixture.StartAsync(mode, Token);
        await using var server = new ServerInstance("--log-level", "debug");
        var rootfs = BusyboxRootfs.Create(Path.Combine(server.Root, "rootfs"));
        await OciRegistryPusher.PushAsync(
            registry.BaseUri, "private/busybox", "1", OciImageBuilder.SimpleImage(OciImageBuilder.TarDirectory(rootfs)), registry.PushAuthorization, Token);
        var url = $"docker://{registry.Host}/private/busybox:1";
        var session = await server.StartStdioAsync(Token);

        var anonymous = await session.CallOkAsync("contree_import_image", new { registry_url = url });
        var wrong = await session.CallOkAsync("contree_registry_auth", new { registry_url = url, username = RegistryFixture.Username, token = "wrong-" + RegistryFixture.Password });
        var right = await session.CallOkAsync("contree_registry_auth", new { registry_url = url, username = RegistryFixture.Username, token = RegistryFixture.Password });
        var import = await session.CallOkAsync("contree_import_image", new { registry_url = url, tag = "e2e/private:1" });
        var run = await session.CallOkAsync("contree_run", new { command = "echo pulled with credentials", image = "tag:e2e/private:1" });
        var viewed = await session.CallOkAsync("contree_get_operation", new { operation_id = import.GetProperty("operation_id").GetString() });
        var listed = await session.CallOkAsync("contree_list_operations", new { type = "image_import" });
        var resource = await session.ReadTextAsync($"contree://operations/import/{import.GetProperty("operation_id").GetString()}");
        await session.DisposeAsync();

        Assert.Equal("FAILED", anonymous.GetProperty("status").GetString());
        Assert.False(string.IsNullOrEmpty(anonymous.GetProperty("error").GetString()), $"an unauthorized pull must say why: {anonymous}");
        Assert.Equal("error", wrong.GetProperty("status").GetString());
        Assert.Equal("success", right.GetProperty("status").GetString());
        Assert.True(import.GetProperty("status").GetString() == "SUCCESS", $"import with stored credentials: {import}");
        Assert.Equal("pulled with credentials\n", run.GetProperty("stdout").GetString());
        foreach (var shown in new[] { wrong.ToString(), right.ToString(), import.ToString(), viewed.ToString(), listed.ToString(), resource, server.StandardError })
        {
            Assert.DoesNotContain(RegistryFixture.Password, shown, StringComparison.Ordinal);
        }

        var stored = Directory.EnumerateFiles(Path.Combine(server.Root, "cache")).Where(f => File.ReadAllText(f).Contains(RegistryFixture.Password, StringComparison.Ordinal)).ToList();
        var credentials = Assert.Single(stored);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(credentials));
        Assert.All(
            Directory.EnumerateFiles(server.DataDirectory),
            file => Assert.DoesNotContain(RegistryFixture.Password, File.ReadAllText(file), StringComparison.Ordinal));
    }
}
