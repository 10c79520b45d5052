using System.Net;
using System.Text.RegularExpressions;
using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Client.Tests;

public sealed partial class ContreeClientHeaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Theory]
    [InlineData("https://api.example.com/", "https://api.example.com/v1")]
    [InlineData("https://api.example.com", "https://api.example.com/v1")]
    [InlineData("https://api.example.com/base///", "https://api.example.com/base/v1")]
    [InlineData(" http://127.0.0.1:8080 ", "http://127.0.0.1:8080/v1")]
    public void Constructor_BaseUrlForms_NormalisedWithV1(string baseUrl, string expected)
    {
        using var client = new ContreeClient(new HttpClient(), new ContreeClientOptions { BaseUrl = baseUrl });

        Assert.Equal(expected, client.BaseUrl);
    }

    [Theory]
    [InlineData("")]
    [InlineData("contree.dev")]
    [InlineData("ftp://contree.dev")]
    [InlineData("https://user:pw@contree.dev")]
    public void Constructor_InvalidBaseUrl_ThrowsInvalidArgument(string baseUrl)
    {
        var error = Assert.Throws<ContreeException>(() => new ContreeClient(new HttpClient(), new ContreeClientOptions { BaseUrl = baseUrl }));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("URL", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("pw", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_InvalidLimits_ThrowNamingTheOption()
    {
        var concurrency = Assert.Throws<ContreeException>(() => new ContreeClient(new HttpClient(), new ContreeClientOptions { MaxConcurrentRequests = 0 }));
        var retries = Assert.Throws<ContreeException>(() => new ContreeClient(new HttpClient(), new ContreeClientOptions { MaxRetries = -1 }));
        var token = Assert.Throws<ContreeException>(() => new ContreeClient(new HttpClient(), new ContreeClientOptions { Token = "abc\r\nX-Evil: 1" }));

        Assert.Contains("MaxConcurrentRequests", concurrency.Message, StringComparison.Ordinal);
        Assert.Contains("MaxRetries", retries.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("abc", token.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Options_Defaults_MatchTheAgreedValues()
    {
        var options = new ContreeClientOptions();

        Assert.Equal("https://contree.dev", options.BaseUrl);
        Assert.Equal("", options.Token);
        Assert.Equal(TimeSpan.FromSeconds(30), options.RequestTimeout);
        Assert.Equal(3, options.MaxRetries);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.RetryBaseDelay);
        Assert.Equal(TimeSpan.FromMilliseconds(400), options.RetryMaxDelay);
        Assert.Equal(10, options.MaxConcurrentRequests);
        Assert.Equal(32L * 1024 * 1024, options.MaxJsonResponseBytes);
        Assert.False(string.IsNullOrWhiteSpace(options.ProductVersion));
    }

    [Fact]
    public async Task Get_WithToken_SendsBearerUserAgentAndNoContentType()
    {
        using var harness = new ClientHarness(o => o.ProductVersion = "1.2.3");
        harness.RespondJson("""{"images": []}""");

        await harness.Client.ListImagesAsync(new ImageListQuery(), Ct);

        var request = Assert.Single(harness.Requests);
        Assert.Equal($"Bearer {ClientHarness.Token}", request.Headers["Authorization"]);
        Assert.Null(request.ContentType);
        Assert.Null(request.Body);
        // MockHttpHandler joins parsed header values with ','; on the wire product tokens are separated by spaces.
        var userAgent = request.Headers["User-Agent"].Replace(',', ' ');
        Assert.Matches(UserAgentPattern(), userAgent);
        Assert.StartsWith($"contree-mcp/1.2.3 dotnet/{Environment.Version} ", userAgent, StringComparison.Ordinal);
        if (OperatingSystem.IsLinux())
        {
            Assert.EndsWith($" Linux/{File.ReadAllText("/proc/sys/kernel/osrelease").Trim()}", userAgent, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Head_WithoutToken_SendsNoAuthorizationAndNoContentType()
    {
        using var harness = new ClientHarness(o => o.Token = "");
        harness.Respond(_ => new HttpResponseMessage(HttpStatusCode.OK));

        await harness.Client.FileExistsByHashAsync(Samples.Sha256, Ct);

        var request = Assert.Single(harness.Requests);
        Assert.False(request.Headers.ContainsKey("Authorization"));
        Assert.Null(request.ContentType);
    }

    [GeneratedRegex(@"^contree-mcp/\S+ dotnet/\d+\.\d+\.\d+(\.\d+)? [A-Za-z]+/\S+$")]
    private static partial Regex UserAgentPattern();
}
