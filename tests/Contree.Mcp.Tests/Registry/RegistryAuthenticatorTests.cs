using System.Net;
using System.Net.Sockets;
using System.Text;
using Contree.Core.Errors;
using Contree.Mcp.Registry;
using Contree.Tests.Common;
using Microsoft.Extensions.Options;

namespace Contree.Mcp.Tests.Registry;

public sealed class RegistryAuthenticatorTests
{
    private readonly MockHttpHandler _handler = new();

    private static string BasicOf(string user, string token) => "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{token}"));

    private RegistryAuthenticator Create(params string[] insecure)
    {
        var options = new ContreeMcpOptions();
        foreach (var registry in insecure)
        {
            options.InsecureRegistries.Add(registry);
        }

        return new RegistryAuthenticator(new MockHttpClientFactory(_handler), Options.Create(options));
    }

    private static HttpResponseMessage Challenge(string header)
    {
        var response = new HttpResponseMessage(HttpStatusCode.Unauthorized);
        response.Headers.TryAddWithoutValidation("WWW-Authenticate", header);
        return response;
    }

    [Fact]
    public async Task ValidateAsync_BearerAccepted_Valid()
    {
        _handler.RequestHandler = (request, _) => Task.FromResult(request.RequestUri!.Host switch
        {
            "registry-1.docker.io" => Challenge("Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\""),
            "auth.docker.io" when request.Headers.Authorization?.ToString() == BasicOf("alice", "pat") => MockHttpHandler.Json(HttpStatusCode.OK, "{\"token\":\"t\"}"),
            _ => new HttpResponseMessage(HttpStatusCode.Unauthorized),
        });

        var result = await Create().ValidateAsync(RegistryLocation.Parse("docker://python:3.11-slim"), "alice", "pat", TestContext.Current.CancellationToken);

        Assert.Equal(RegistryValidation.Valid, result);
        var requests = _handler.Requests.ToArray();
        Assert.Equal("https://registry-1.docker.io/v2/", requests[0].Uri.ToString());
        Assert.False(requests[0].Headers.ContainsKey("Authorization"));
        Assert.Equal("https://auth.docker.io/token?service=registry.docker.io&scope=repository%3Alibrary%2Fpython%3Apull", requests[1].Uri.AbsoluteUri);
    }

    [Fact]
    public async Task ValidateAsync_BearerRejected_Invalid()
    {
        _handler.RequestHandler = (request, _) => Task.FromResult(request.RequestUri!.AbsolutePath == "/v2/"
            ? Challenge("Bearer realm=\"https://ghcr.io/token\",service=\"ghcr.io\"")
            : new HttpResponseMessage(HttpStatusCode.Forbidden));

        var result = await Create().ValidateAsync(RegistryLocation.Parse("ghcr.io"), "bob", "wrong", TestContext.Current.CancellationToken);

        Assert.Equal(RegistryValidation.Invalid, result);
        Assert.Equal("https://ghcr.io/token?service=ghcr.io", _handler.Requests.Last().Uri.AbsoluteUri);
    }

    [Theory]
    [InlineData("pat", true)]
    [InlineData("bad", false)]
    public async Task ValidateAsync_BasicChallenge_RetriesV2WithBasic(string token, bool valid)
    {
        _handler.RequestHandler = (request, _) => Task.FromResult(
            request.Headers.Authorization?.ToString() == BasicOf("alice", "pat")
                ? new HttpResponseMessage(HttpStatusCode.OK)
                : Challenge("Basic realm=\"Registry\""));

        var result = await Create().ValidateAsync(RegistryLocation.Parse("registry.example.com"), "alice", token, TestContext.Current.CancellationToken);

        Assert.Equal(valid ? RegistryValidation.Valid : RegistryValidation.Invalid, result);
        Assert.All(_handler.Requests, r => Assert.Equal("https://registry.example.com/v2/", r.Uri.ToString()));
    }

    [Fact]
    public async Task ValidateAsync_OpenRegistry_NoAuthRequired()
    {
        _handler.RequestHandler = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        var result = await Create().ValidateAsync(RegistryLocation.Parse("127.0.0.1:5000"), "alice", "pat", TestContext.Current.CancellationToken);

        Assert.Equal(RegistryValidation.NoAuthRequired, result);
        Assert.Equal("http://127.0.0.1:5000/v2/", Assert.Single(_handler.Requests).Uri.ToString());
    }

    [Fact]
    public async Task ValidateAsync_InsecureRegistry_UsesPlainHttp()
    {
        _handler.RequestHandler = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.OK));

        await Create("registry.lan:5000").ValidateAsync(RegistryLocation.Parse("registry.lan:5000/app"), "a", "b", TestContext.Current.CancellationToken);

        Assert.Equal("http://registry.lan:5000/v2/", Assert.Single(_handler.Requests).Uri.ToString());
    }

    [Fact]
    public async Task ValidateAsync_RealmWithoutTls_RefusesToSendCredentials()
    {
        _handler.RequestHandler = (_, _) => Task.FromResult(Challenge("Bearer realm=\"http://evil.example.com/token\""));

        var ex = await Assert.ThrowsAsync<ContreeException>(() =>
            Create().ValidateAsync(RegistryLocation.Parse("ghcr.io"), "alice", "pat", TestContext.Current.CancellationToken));

        Assert.Contains("without TLS", ex.Message);
        Assert.Single(_handler.Requests);
    }

    [Fact]
    public async Task ValidateAsync_ServerError_ThrowsUnavailableNamingRegistry()
    {
        _handler.RequestHandler = (_, _) => Task.FromResult(new HttpResponseMessage(HttpStatusCode.BadGateway));

        var ex = await Assert.ThrowsAsync<ContreeException>(() =>
            Create().ValidateAsync(RegistryLocation.Parse("quay.io"), "alice", "pat", TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.Unavailable, ex.Kind);
        Assert.Contains("'quay.io'", ex.Message);
        Assert.Contains("502", ex.Message);
    }

    [Fact]
    public async Task ValidateAsync_Unreachable_ThrowsUnavailableNamingRegistry()
    {
        // A port that was free a moment ago: nothing listens, so the connection is refused.
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        using var real = new SocketsHttpHandler();
        var authenticator = new RegistryAuthenticator(new MockHttpClientFactory(real), Options.Create(new ContreeMcpOptions()));

        var ex = await Assert.ThrowsAsync<ContreeException>(() =>
            authenticator.ValidateAsync(RegistryLocation.Parse($"127.0.0.1:{port}"), "alice", "pat", TestContext.Current.CancellationToken));

        Assert.Equal(ContreeErrorKind.Unavailable, ex.Kind);
        Assert.Contains($"cannot reach registry '127.0.0.1:{port}'", ex.Message);
        Assert.DoesNotContain("pat", ex.Message.Replace("repository", "", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\"", "https://auth.docker.io/token", "registry.docker.io")]
    [InlineData("realm=\"https://x/token\"", "https://x/token", null)]
    [InlineData("realm=\"https://x/token\", service=plain", "https://x/token", "plain")]
    public void ParseParameters_Challenge_ExtractsRealmAndService(string parameter, string realm, string? service)
    {
        var parsed = RegistryAuthenticator.ParseParameters(parameter);

        Assert.Equal(realm, parsed["realm"]);
        Assert.Equal(service, parsed.GetValueOrDefault("service"));
    }
}
