using Contree.Mcp.Registry;
using Contree.Mcp.Tests.Harness;

namespace Contree.Mcp.Tests.Tools;

public sealed class ImportToolTests
{
    [Fact]
    public async Task ImportImage_NoCredentials_NamesRegistryAndBothSteps()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_import_image", new { registry_url = "docker://ghcr.io/owner/image:1" });

        Assert.Contains("Not authenticated with 'ghcr.io'", text, StringComparison.Ordinal);
        Assert.Contains("contree_registry_token_obtain", text, StringComparison.Ordinal);
        Assert.Contains("contree_registry_auth", text, StringComparison.Ordinal);
        Assert.Empty(h.Backend.ImportRequests);
    }

    [Fact]
    public async Task ImportImage_AnonymousAccepted_ImportsAndTags()
    {
        await using var h = await McpHarness.StartAsync();

        var result = await h.CallOkAsync("contree_import_image", new
        {
            registry_url = "docker://alpine:3.20",
            tag = "common/base/alpine:3.20",
            i_accept_that_anonymous_access_might_be_rate_limited = true,
        });

        Assert.Equal("SUCCESS", result.GetProperty("status").GetString());
        Assert.Equal("image_import", result.GetProperty("kind").GetString());
        Assert.Equal("common/base/alpine:3.20", result.GetProperty("result_tag").GetString());
        Assert.Equal("docker://alpine:3.20", result.GetProperty("registry_url").GetString());
        var lineage = await RunToolTests.ReadLineageAsync(h, result.GetProperty("result_image").GetString()!);
        Assert.True(lineage.GetProperty("root").GetProperty("is_import").GetBoolean());
        Assert.Equal("docker://alpine:3.20", lineage.GetProperty("root").GetProperty("registry_url").GetString());
    }

    [Theory]
    [InlineData("oci-archive:/tmp/image.tar")]
    [InlineData("docker-archive:/tmp/image.tar")]
    [InlineData("oci:/tmp/layout:latest")]
    [InlineData("docker://127.0.0.1:5000/test/busybox:1")]
    [InlineData("docker://localhost:5000/test/busybox:1")]
    public async Task ImportImage_LocalOrLoopbackSource_NeedsNoCredentials(string url)
    {
        await using var h = await McpHarness.StartAsync();

        var result = await h.CallOkAsync("contree_import_image", new { registry_url = url });

        Assert.Equal("SUCCESS", result.GetProperty("status").GetString());
        Assert.True(Assert.Single(h.Backend.ImportRequests).Registry.Credentials.IsAnonymous);
    }

    [Fact]
    public async Task ImportImage_InsecureRegistry_NeedsNoCredentials()
    {
        await using var h = await McpHarness.StartAsync(o => o.InsecureRegistries.Add("registry.lan:5000"));

        await h.CallOkAsync("contree_import_image", new { registry_url = "docker://registry.lan:5000/a/b:1" });

        Assert.Single(h.Backend.ImportRequests);
    }

    [Fact]
    public async Task ImportImage_StoredCredentials_AreSentButNeverReturned()
    {
        await using var h = await McpHarness.StartAsync();
        h.Get<RegistryCredentialStore>().Save(new RegistryCredential("ghcr.io", "octo", "ghp_secret_value", ["read:packages"], DateTimeOffset.UtcNow));

        var result = await h.CallAsync("contree_import_image", new { registry_url = "docker://ghcr.io/owner/image:1" });

        var request = Assert.Single(h.Backend.ImportRequests);
        Assert.Equal("octo", request.Registry.Credentials.Username);
        Assert.Equal("ghp_secret_value", request.Registry.Credentials.Password);
        Assert.DoesNotContain("ghp_secret_value", McpHarness.Text(result), StringComparison.Ordinal);
        var id = System.Text.Json.JsonSerializer.SerializeToElement(result.StructuredContent).GetProperty("operation_id").GetString();
        var again = await h.CallAsync("contree_get_operation", new { operation_id = id });
        Assert.DoesNotContain("ghp_secret_value", McpHarness.Text(again), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ImportImage_WaitFalse_ReturnsOperationId()
    {
        await using var h = await McpHarness.StartAsync();

        var result = await h.CallOkAsync("contree_import_image", new { registry_url = "oci-archive:/x.tar", wait = false });

        Assert.Equal("operation_id", Assert.Single(result.EnumerateObject()).Name);
    }

    [Fact]
    public async Task ImportImage_BadReference_IsRejected()
    {
        await using var h = await McpHarness.StartAsync();

        var text = await h.CallErrorAsync("contree_import_image", new { registry_url = "docker://UPPER/Case:1" });

        Assert.StartsWith("Error executing tool contree_import_image: Invalid image reference 'docker://UPPER/Case:1'", text, StringComparison.Ordinal);
    }
}
