using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Contree.Tests.Common;

namespace Contree.Server.Tests.ApiServer;

/// <summary>The Project header of iam authentication on our /v1 API: ignored by default, checked with --require-project.</summary>
public sealed class ProjectHeaderTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static HttpRequestMessage Images(string? project, string? token = null)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "/v1/images");
        if (project is not null)
        {
            request.Headers.Add("Project", project);
        }

        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return request;
    }

    private static async Task<string> ErrorAsync(HttpResponseMessage response) =>
        JsonDocument.Parse(await response.Content.ReadAsStringAsync(Ct)).RootElement.GetProperty("error").GetString()!;

    [Theory]
    [InlineData(null)]
    [InlineData("any-project")]
    public async Task NoRequirement_HeaderAcceptedAndIgnored(string? project)
    {
        await using var server = await ApiServerHarness.StartAsync(new FakeContreeBackend());

        using var request = Images(project);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(request, Ct)).StatusCode);
    }

    [Fact]
    public async Task RequiredProject_MissingOrOther403_Same200()
    {
        await using var server = await ApiServerHarness.StartAsync(new FakeContreeBackend(), requireProject: "project-e00a");

        using var missingRequest = Images(null);
        var missing = await server.Client.SendAsync(missingRequest, Ct);
        using var otherRequest = Images("project-zzz");
        var other = await server.Client.SendAsync(otherRequest, Ct);
        using var sameRequest = Images("project-e00a");
        var same = await server.Client.SendAsync(sameRequest, Ct);

        Assert.Equal(HttpStatusCode.Forbidden, missing.StatusCode);
        Assert.Contains("requires the header 'Project: <project ID>'", await ErrorAsync(missing), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, other.StatusCode);
        Assert.Equal("the project 'project-zzz' of the request's Project header is not the project this API serves", await ErrorAsync(other));
        Assert.Equal(HttpStatusCode.OK, same.StatusCode);
    }

    [Fact]
    public async Task RequiredProjectAndToken_TheTokenIsCheckedFirst()
    {
        await using var server = await ApiServerHarness.StartAsync(new FakeContreeBackend(), token: "s3cret", requireProject: "p");

        using var noToken = Images("p");
        using var noProject = Images(null, "s3cret");
        using var both = Images("p", "s3cret");

        Assert.Equal(HttpStatusCode.Unauthorized, (await server.Client.SendAsync(noToken, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await server.Client.SendAsync(noProject, Ct)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await server.Client.SendAsync(both, Ct)).StatusCode);
    }
}
