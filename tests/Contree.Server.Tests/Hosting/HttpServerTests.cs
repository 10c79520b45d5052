using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Contree.Server.Configuration;
using Contree.Server.Hosting;
using Contree.Server.Tests.Support;
using Microsoft.AspNetCore.Builder;
using ModelContextProtocol.Client;
using ModelContextProtocol.Protocol;

using Contree.Tests.Common;

namespace Contree.Server.Tests.Hosting;

/// <summary>HTTP mode in-process on a free loopback port: Streamable HTTP at /mcp, the index page, host/origin/bearer checks.</summary>
public sealed class HttpServerTests : IDisposable
{
    private const string InitializeBody =
        """{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"protocolVersion":"2025-06-18","capabilities":{},"clientInfo":{"name":"t","version":"1"}}}""";

    private readonly TestDirectory _home = new();

    public void Dispose() => _home.Dispose();

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private async Task<(WebApplication App, int Port)> StartAsync(params string[] extraArgs)
    {
        var port = FreePort.Next();
        var env = new Dictionary<string, string>(StringComparer.Ordinal) { ["HOME"] = _home.Path };
        var settings = SettingsLoader.Load(
            CommandLine.Parse(["--mode", "http", "--http-port", port.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "--backend", "cloud", "--url", "http://127.0.0.1:9", "--token", "x", "--log-level", "warning", .. extraArgs]),
            env.GetValueOrDefault);
        var app = HttpTransportHost.Build(settings);
        await app.StartAsync(Ct);
        return (app, port);
    }

    private static HttpRequestMessage Initialize(int port)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, $"http://127.0.0.1:{port}/mcp")
        {
            Content = new StringContent(InitializeBody, Encoding.UTF8, "application/json"),
        };
        request.Headers.Accept.ParseAdd("application/json");
        request.Headers.Accept.ParseAdd("text/event-stream");
        return request;
    }

    [Fact]
    public async Task McpClient_OverHttp_InitializesListsAndReadsGuide()
    {
        var (app, port) = await StartAsync();
        await using var _ = app;
        var transport = new HttpClientTransport(new HttpClientTransportOptions
        {
            Endpoint = new Uri($"http://127.0.0.1:{port}/mcp"),
            TransportMode = HttpTransportMode.StreamableHttp,
        });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: Ct);

        Assert.Equal("contree-mcp", client.ServerInfo?.Name);
        Assert.False(string.IsNullOrEmpty(client.SessionId));
        var tools = (await client.ListToolsAsync(cancellationToken: Ct)).Select(t => t.Name).ToList();
        Assert.Contains("contree_run", tools);
        Assert.Contains("contree_import_image", tools);
        var guide = await client.ReadResourceAsync("contree://guide/quickstart", cancellationToken: Ct);
        Assert.NotEmpty(Assert.IsType<TextResourceContents>(Assert.Single(guide.Contents)).Text);
    }

    [Fact]
    public async Task Initialize_RawPost_ReturnsSessionIdHeader()
    {
        var (app, port) = await StartAsync();
        await using var _ = app;
        using var http = new HttpClient();

        using var response = await http.SendAsync(Initialize(port), Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(string.IsNullOrEmpty(response.Headers.GetValues("Mcp-Session-Id").Single()));
        Assert.Contains("\"contree-mcp\"", await response.Content.ReadAsStringAsync(Ct), StringComparison.Ordinal);
    }

    [Fact]
    public async Task IndexPage_Get_ListsEveryLiveToolTemplateAndGuide()
    {
        var (app, port) = await StartAsync();
        await using var _ = app;
        using var http = new HttpClient();
        var transport = new HttpClientTransport(new HttpClientTransportOptions { Endpoint = new Uri($"http://127.0.0.1:{port}/mcp") });
        await using var client = await McpClient.CreateAsync(transport, cancellationToken: Ct);

        using var response = await http.GetAsync($"http://127.0.0.1:{port}/", Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        foreach (var tool in await client.ListToolsAsync(cancellationToken: Ct))
        {
            Assert.Contains($"<td class=\"tool-name\">{tool.Name}</td>", html, StringComparison.Ordinal);
        }

        foreach (var template in await client.ListResourceTemplatesAsync(cancellationToken: Ct))
        {
            Assert.Contains(System.Net.WebUtility.HtmlEncode(template.UriTemplate), html, StringComparison.Ordinal);
        }

        foreach (var resource in await client.ListResourcesAsync(cancellationToken: Ct))
        {
            Assert.Contains(resource.Uri, html, StringComparison.Ordinal);
        }

        Assert.Contains($"--http-port {port}", html, StringComparison.Ordinal);
        Assert.Contains("MANDATORY WORKFLOW", html, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownPath_Returns404()
    {
        var (app, port) = await StartAsync();
        await using var _ = app;
        using var http = new HttpClient();

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync($"http://127.0.0.1:{port}/unknown", Ct)).StatusCode);
    }

    [Fact]
    public async Task ForeignHostAndOrigin_AreRejected()
    {
        var (app, port) = await StartAsync();
        await using var _ = app;
        using var http = new HttpClient();

        using var foreignHost = Initialize(port);
        foreignHost.Headers.Host = "evil.example";
        using var hostResponse = await http.SendAsync(foreignHost, Ct);
        Assert.Equal(HttpStatusCode.MisdirectedRequest, hostResponse.StatusCode);
        Assert.Equal("Invalid Host header", await hostResponse.Content.ReadAsStringAsync(Ct));

        using var foreignOrigin = Initialize(port);
        foreignOrigin.Headers.Add("Origin", "http://evil.example");
        using var originResponse = await http.SendAsync(foreignOrigin, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, originResponse.StatusCode);
        Assert.Equal("Invalid Origin header", await originResponse.Content.ReadAsStringAsync(Ct));

        using var localOrigin = Initialize(port);
        localOrigin.Headers.Host = $"localhost:{port}";
        localOrigin.Headers.Add("Origin", $"http://localhost:{port}");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(localOrigin, Ct)).StatusCode);
    }

    [Fact]
    public async Task AllowedHostsStar_AcceptsAnyHost()
    {
        var (app, port) = await StartAsync("--http-allowed-hosts", "*");
        await using var _ = app;
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{port}/unknown");
        request.Headers.Host = "anything.example";

        Assert.Equal(HttpStatusCode.NotFound, (await http.SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task HttpToken_McpRequiresBearerButIndexDoesNot()
    {
        var (app, port) = await StartAsync("--http-token", "h77p-token");
        await using var _ = app;
        using var http = new HttpClient();

        using var missing = await http.SendAsync(Initialize(port), Ct);
        Assert.Equal(HttpStatusCode.Unauthorized, missing.StatusCode);
        Assert.Equal("Bearer", missing.Headers.WwwAuthenticate.Single().Scheme);

        using var wrong = Initialize(port);
        wrong.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "nope");
        Assert.Equal(HttpStatusCode.Unauthorized, (await http.SendAsync(wrong, Ct)).StatusCode);

        using var right = Initialize(port);
        right.Headers.Authorization = new AuthenticationHeaderValue("Bearer", "h77p-token");
        Assert.Equal(HttpStatusCode.OK, (await http.SendAsync(right, Ct)).StatusCode);

        var index = await http.GetStringAsync($"http://127.0.0.1:{port}/", Ct);
        Assert.DoesNotContain("h77p-token", index, StringComparison.Ordinal);
        Assert.Contains("Authorization: Bearer", index, StringComparison.Ordinal);
    }
}
