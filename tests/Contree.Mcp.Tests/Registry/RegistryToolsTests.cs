using System.Net;
using Contree.Mcp.Registry;
using Contree.Mcp.Tests.Sync;
using Contree.Mcp.Tools;
using Contree.Tests.Common;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Tests.Registry;

public sealed class RegistryToolsTests : IDisposable
{
    private readonly TestDirectory _dir = new();
    private readonly MockHttpHandler _handler = new();
    private readonly List<string> _opened = [];
    private readonly RegistryCredentialStore _store;
    private readonly IOptions<ContreeMcpOptions> _options;

    public RegistryToolsTests()
    {
        _options = Options.Create(new ContreeMcpOptions { ToolPrefix = "contree_", RegistryCredentialsPath = _dir.Combine("creds.json") });
        _store = new RegistryCredentialStore(_options);
    }

    public void Dispose() => _dir.Dispose();

    private RegistryTools Create(bool desktop = false)
    {
        var environment = new Dictionary<string, string?> { ["PATH"] = "/usr/bin:/bin", ["DISPLAY"] = desktop ? ":0" : null };
        var browser = new DesktopBrowser(name => environment.GetValueOrDefault(name), (_, url) => { _opened.Add(url); return true; });
        return new RegistryTools(new RegistryAuthenticator(new MockHttpClientFactory(_handler), _options), _store, browser, new ManualTimeProvider(), _options);
    }

    [Theory]
    [InlineData("docker://docker.io/library/alpine:latest", "docker.io", "docker")]
    [InlineData("ghcr.io/org/image", "ghcr.io", "github")]
    [InlineData("registry.gitlab.com", "registry.gitlab.com", "gitlab")]
    [InlineData("docker://gcr.io/project/image", "gcr.io", "google")]
    [InlineData("alpine", "docker.io", "docker")]
    [InlineData("oci://ghcr.io/org/image:tag", "ghcr.io", "github")]
    public void RegistryTokenObtain_KnownRegistry_ReturnsPatUrlAndStopInstruction(string url, string registry, string urlPart)
    {
        var result = Create().RegistryTokenObtain(url);

        Assert.Equal("success", result.Status);
        Assert.Equal(registry, result.Registry);
        Assert.Contains(urlPart, result.Url);
        Assert.Contains("STOP", result.AgentInstruction);
        Assert.Contains("wait", result.AgentInstruction, StringComparison.OrdinalIgnoreCase);
        Assert.Contains($"contree_registry_auth(registry_url='{url}'", result.Message);
    }

    [Fact]
    public void RegistryTokenObtain_NoDesktop_DoesNotOpenAndTellsToShareUrl()
    {
        var result = Create(desktop: false).RegistryTokenObtain("alpine");

        Assert.Empty(_opened);
        Assert.Contains("Give the user this link", result.Message);
        Assert.Contains(result.Url, result.Message);
    }

    [Theory]
    [InlineData("DISPLAY", ":0", true, true)]
    [InlineData("WAYLAND_DISPLAY", "wayland-0", true, true)]
    [InlineData("DISPLAY", ":0", false, false)]
    [InlineData("HOME", "/root", true, false)]
    public void RegistryTokenObtain_Session_OpensOnlyOnDesktopWithXdgOpen(string variable, string value, bool hasXdgOpen, bool opens)
    {
        var bin = _dir.Combine("bin");
        Directory.CreateDirectory(bin);
        if (hasXdgOpen)
        {
            File.WriteAllText(Path.Combine(bin, "xdg-open"), "#!/bin/sh\n");
        }

        var environment = new Dictionary<string, string?> { ["PATH"] = bin, [variable] = value };
        var browser = new DesktopBrowser(name => environment.GetValueOrDefault(name), (opener, url) => { _opened.Add(opener + " " + url); return true; });
        var tools = new RegistryTools(new RegistryAuthenticator(new MockHttpClientFactory(_handler), _options), _store, browser, new ManualTimeProvider(), _options);

        var result = tools.RegistryTokenObtain("ghcr.io");

        Assert.Equal(opens ? [Path.Combine(bin, "xdg-open") + " " + result.Url] : [], _opened);
        Assert.Equal(opens, result.Message.StartsWith("Opened ", StringComparison.Ordinal));
    }

    [Fact]
    public void RegistryTokenObtain_UnknownRegistry_ErrorWithoutBrowser()
    {
        var result = Create(desktop: true).RegistryTokenObtain("docker://unknown.example.com/org/image");

        Assert.Equal(new TokenObtainResult("error", "unknown.example.com", "", result.Message, ""), result);
        Assert.Contains("Unknown registry", result.Message);
        Assert.Empty(_opened);
    }

    [Fact]
    public async Task RegistryAuth_ValidCredentials_StoredAndTokenNotEchoed()
    {
        _handler.RequestHandler = (request, _) => Task.FromResult(request.RequestUri!.AbsolutePath == "/v2/"
            ? Challenge()
            : new HttpResponseMessage(HttpStatusCode.OK));

        var result = await Create().RegistryAuth("docker://ghcr.io/org/image", "alice", "ghp_SECRET", TestContext.Current.CancellationToken);

        Assert.Equal("success", result.Status);
        Assert.Equal("ghcr.io", result.Registry);
        Assert.Contains("successfully", result.Message);
        Assert.DoesNotContain("ghp_SECRET", result.ToString());
        var stored = _store.Get("ghcr.io")!;
        Assert.Equal(("alice", "ghp_SECRET"), (stored.Username, stored.Token));
        Assert.Equal(["pull"], stored.Scopes);
    }

    [Fact]
    public async Task RegistryAuth_InvalidCredentials_NothingStored()
    {
        _handler.RequestHandler = (request, _) => Task.FromResult(request.RequestUri!.AbsolutePath == "/v2/"
            ? Challenge()
            : new HttpResponseMessage(HttpStatusCode.Unauthorized));

        var result = await Create().RegistryAuth("alpine", "alice", "wrong", TestContext.Current.CancellationToken);

        Assert.Equal("error", result.Status);
        Assert.Equal("docker.io", result.Registry);
        Assert.StartsWith("Invalid credentials for 'docker.io'.", result.Message);
        Assert.Null(_store.Get("docker.io"));
    }

    [Fact]
    public async Task RegistryAuth_OpenRegistry_NotRequiredAndNothingStored()
    {
        _handler.RequestHandler = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        var result = await Create().RegistryAuth("localhost:5000", "alice", "pat", TestContext.Current.CancellationToken);

        Assert.Equal("not_required", result.Status);
        Assert.Contains("without authentication", result.Message);
        Assert.Null(_store.Get("localhost:5000"));
    }

    private static HttpResponseMessage Challenge()
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", "Bearer realm=\"https://auth.example.com/token\",service=\"svc\"");
        return response;
    }
}
