using System.Net;
using System.Text;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Tests.Common;

namespace Contree.Client.Tests;

public sealed class ContreeClientOperationsTests
{
    private const string OpId = ClientHarness.OperationId;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task ListOperations_Default_ParsesObjectForm()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"operations": [{"uuid": "op-1", "kind": "instance", "status": "SUCCESS", "created_at": "2026-01-01T00:00:00Z"}]}""");

        var result = await harness.Client.ListOperationsAsync(new OperationListQuery(), Ct);

        Assert.Equal("GET /v1/operations?limit=100&offset=0", harness.SingleRequestLine);
        var op = Assert.Single(result.Operations);
        Assert.Equal(OperationKind.Instance, op.Kind);
        Assert.Equal(OperationStatus.Success, op.Status);
    }

    [Fact]
    public async Task ListOperations_BareArrayWithUpperCaseKind_Parses()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""[{"uuid": "op-1", "kind": "IMAGE_IMPORT", "status": "executing"}, {"uuid": "op-2", "kind": "INSTANCE", "status": "FAILED", "error": "boom"}]""");

        var result = await harness.Client.ListOperationsAsync(new OperationListQuery(), Ct);

        Assert.Equal(2, result.Operations.Count);
        Assert.Equal(OperationKind.ImageImport, result.Operations[0].Kind);
        Assert.Equal(OperationStatus.Executing, result.Operations[0].Status);
        Assert.Equal("boom", result.Operations[1].Error);
    }

    [Fact]
    public async Task ListOperations_WithFilters_SendsWireTextInOrder()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"operations": []}""");

        await harness.Client.ListOperationsAsync(
            new OperationListQuery { Limit = 5, Offset = 10, Status = OperationStatus.Executing, Kind = OperationKind.ImageImport, Since = "1h", Until = "2026-02-01" },
            Ct);

        Assert.Equal("GET /v1/operations?limit=5&offset=10&status=EXECUTING&kind=image_import&since=1h&until=2026-02-01", harness.SingleRequestLine);
    }

    [Fact]
    public async Task ListOperations_NotAList_ThrowsInvalidJson()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"operations": "nope"}""");

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.ListOperationsAsync(new OperationListQuery(), Ct));

        Assert.StartsWith("invalid JSON in response to GET /operations?limit=100&offset=0: ", error.Message, StringComparison.Ordinal);
        Assert.Equal(ContreeErrorKind.Internal, error.Kind);
    }

    [Fact]
    public async Task GetOperation_Instance_ParsesResultAndMetadata()
    {
        using var harness = new ClientHarness();
        harness.RespondJson(Samples.InstanceOperation);

        var op = await harness.Client.GetOperationAsync(OpId, Ct);

        Assert.Equal($"GET /v1/operations/{OpId}", harness.SingleRequestLine);
        Assert.Equal(OperationStatus.Success, op.Status);
        Assert.Equal(OperationKind.Instance, op.Kind);
        Assert.NotNull(op.Instance);
        Assert.Equal(0, op.Instance.Result!.State.ExitCode);
        Assert.Equal("hello\n", op.Instance.Result.Stdout.ToText());
        Assert.Equal("9c4d6f1e-3b2a-4e5d-8f7a-1b2c3d4e5f60", op.Result!.Image);
        Assert.Equal(1.25, op.Duration);
    }

    [Fact]
    public async Task GetOperation_ImageImportUpperCaseKind_ParsesImportMetadata()
    {
        using var harness = new ClientHarness();
        harness.RespondJson(Samples.ImportOperation);

        var op = await harness.Client.GetOperationAsync(OpId, Ct);

        Assert.Equal(OperationKind.ImageImport, op.Kind);
        Assert.Equal("docker://test", op.Import!.Registry.Url);
        Assert.Equal("test:v1", op.Import.Tag);
        Assert.Equal("test:v1", op.Result!.Tag);
    }

    [Fact]
    public async Task GetOperation_PendingWithoutMetadata_HasNullMetadata()
    {
        using var harness = new ClientHarness();
        harness.RespondJson($$"""{"uuid": "{{OpId}}", "status": "PENDING", "kind": "instance", "metadata": null}""");

        var op = await harness.Client.GetOperationAsync(OpId, Ct);

        Assert.Equal(OperationStatus.Pending, op.Status);
        Assert.Null(op.Metadata);
        Assert.Null(op.Result);
    }

    [Fact]
    public async Task GetOperation_WrongShape_ThrowsInvalidJsonNamingRequest()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("""{"invalid": "data"}""");

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetOperationAsync(OpId, Ct));

        Assert.StartsWith($"invalid JSON in response to GET /operations/{OpId}: ", error.Message, StringComparison.Ordinal);
        Assert.Single(harness.Requests);
    }

    [Fact]
    public async Task GetOperation_SyntaxError_ThrowsInvalidJson()
    {
        using var harness = new ClientHarness();
        harness.RespondJson("{\"uuid\": ");

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.GetOperationAsync(OpId, Ct));

        Assert.Contains("invalid JSON", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task GetOperation_20MiBResponse_Parses(bool withContentLength)
    {
        var stdout = new string('x', 20 * 1024 * 1024);
        var json = Samples.InstanceOperation.Replace("\"hello\\n\"", $"\"{stdout}\"", StringComparison.Ordinal);
        using var harness = new ClientHarness();
        harness.Respond(_ =>
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            HttpContent content = withContentLength ? new ByteArrayContent(bytes) : new StreamContent(new NonSeekable(bytes));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });

        var op = await harness.Client.GetOperationAsync(OpId, Ct);

        // Read whole, returned as the inline view (ContreeClientOutputTests covers the view and ranges).
        Assert.Equal(stdout.Length, op.Instance!.Result!.Stdout.Size);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task ListOperations_OverSizeCap_ThrowsResponseTooLarge(bool withContentLength)
    {
        // An operation body may exceed the cap (two outputs of up to 64 MiB each); other bodies may not.
        var json = $$"""{"operations": [{"uuid": "op-1", "kind": "instance", "status": "FAILED", "error": "{{new string('x', 300_000)}}"}]}""";
        using var harness = new ClientHarness(o => o.MaxJsonResponseBytes = 256 * 1024);
        harness.Respond(_ =>
        {
            var bytes = Encoding.UTF8.GetBytes(json);
            HttpContent content = withContentLength ? new ByteArrayContent(bytes) : new StreamContent(new NonSeekable(bytes));
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content };
        });

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.ListOperationsAsync(new OperationListQuery(), Ct));

        Assert.StartsWith("Response too large", error.Message, StringComparison.Ordinal);
        Assert.Contains("GET /operations", error.Message, StringComparison.Ordinal);
        Assert.Equal(ContreeErrorKind.Internal, error.Kind);
    }

    [Fact]
    public async Task CancelOperation_Success_SendsDeleteThenReadsTheState()
    {
        using var harness = new ClientHarness();
        harness.RespondJson($$"""{"uuid": "{{OpId}}", "status": "CANCELLED", "kind": "instance"}""");

        await harness.Client.CancelOperationAsync(OpId, Ct);

        Assert.Equal([$"DELETE /v1/operations/{OpId}", $"GET /v1/operations/{OpId}"], harness.Requests.Select(r => $"{r.Method} {r.Uri.PathAndQuery}"));
    }

    [Fact]
    public async Task CancelOperation_NoCancelWait_OnlySendsDelete()
    {
        using var harness = new ClientHarness(o => o.CancelWait = TimeSpan.Zero);
        harness.RespondJson("{}");

        await harness.Client.CancelOperationAsync(OpId, Ct);

        Assert.Equal($"DELETE /v1/operations/{OpId}", harness.SingleRequestLine);
    }

    [Fact]
    public async Task CancelOperation_RealServerStopsAfterTwoReads_PollsUntilCancelled()
    {
        var reads = 0;
        using var api = new LoopbackApi((request, _) => request.HttpMethod switch
        {
            "DELETE" => (204, "", null),
            "GET" => (200, $$"""{"uuid": "{{OpId}}", "kind": "instance", "status": "{{(Interlocked.Increment(ref reads) <= 2 ? "EXECUTING" : "CANCELLED")}}"}""", null),
            _ => (405, """{"error": "unexpected"}""", null),
        });
        using var client = new ContreeClient(new HttpClient(), new ContreeClientOptions { BaseUrl = api.BaseUrl });

        await client.CancelOperationAsync(OpId, Ct);

        var seen = api.Seen.Select(line => line[..line.IndexOf(" |", StringComparison.Ordinal)]).ToList();
        Assert.Equal([$"DELETE /v1/operations/{OpId}", .. Enumerable.Repeat($"GET /v1/operations/{OpId}", 3)], seen);
        Assert.Equal(OperationStatus.Cancelled, (await client.GetOperationAsync(OpId, Ct)).Status);
    }

    [Fact]
    public async Task CancelOperation_RealServerNeverStops_ReturnsAtItsBoundWithoutError()
    {
        using var api = new LoopbackApi((request, _) => request.HttpMethod == "DELETE"
            ? (204, "", null)
            : (200, $$"""{"uuid": "{{OpId}}", "kind": "instance", "status": "EXECUTING"}""", null));
        using var client = new ContreeClient(new HttpClient(), new ContreeClientOptions { BaseUrl = api.BaseUrl, CancelWait = TimeSpan.FromMilliseconds(300) });

        await client.CancelOperationAsync(OpId, Ct);

        var seen = api.Seen.ToList();
        Assert.StartsWith($"DELETE /v1/operations/{OpId} ", seen[0], StringComparison.Ordinal);
        Assert.True(seen.Count > 2, $"the state was read {seen.Count - 1} times");
        Assert.All(seen.Skip(1), line => Assert.StartsWith($"GET /v1/operations/{OpId} ", line, StringComparison.Ordinal));
        Assert.Equal(OperationStatus.Executing, (await client.GetOperationAsync(OpId, Ct)).Status);
    }

    [Fact]
    public async Task CancelOperation_ServerError_PropagatesStatus500()
    {
        using var harness = new ClientHarness(o => o.MaxRetries = 0);
        harness.RespondJson("""{"error": "cancel failed"}""", HttpStatusCode.InternalServerError);

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.CancelOperationAsync(OpId, Ct));

        Assert.Equal(500, error.StatusCode);
        Assert.Equal("cancel failed", error.Message);
    }

    [Fact]
    public async Task SpawnInstance_SendsEveryFieldAndReturnsOperationId()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => MockHttpHandler.Json(HttpStatusCode.Accepted, """{"uuid": "op-123"}"""));

        var id = await harness.Client.SpawnInstanceAsync(
            new InstanceMetadata
            {
                Command = "python",
                Args = ["-c", "print(1)"],
                Image = ClientHarness.ImageUuid,
                Shell = false,
                Env = new Dictionary<string, string> { ["A"] = "1" },
                Cwd = "/work",
                Timeout = 60,
                Hostname = "box",
                Stdin = StreamPayload.FromText("input"),
                Files = new Dictionary<string, InstanceFileSpec> { ["/input.txt"] = new() { Uuid = "file-1", Mode = "0644" } },
            },
            Ct);

        Assert.Equal("op-123", id);
        var request = Assert.Single(harness.Requests);
        Assert.Equal("POST /v1/instances", $"{request.Method} {request.Uri.PathAndQuery}");
        Assert.Equal("application/json", request.ContentType);
        using var body = System.Text.Json.JsonDocument.Parse(request.BodyText);
        var root = body.RootElement;
        Assert.Equal("python", root.GetProperty("command").GetString());
        Assert.Equal("/work", root.GetProperty("cwd").GetString());
        Assert.False(root.GetProperty("disposable").GetBoolean());
        Assert.Equal(65536, root.GetProperty("truncate_output_at").GetInt64());
        Assert.Equal("input", root.GetProperty("stdin").GetProperty("value").GetString());
        Assert.Equal("file-1", root.GetProperty("files").GetProperty("/input.txt").GetProperty("uuid").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, root.GetProperty("result").ValueKind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData(true)]
    [InlineData(false)]
    public async Task SpawnInstance_Networking_SentAsTheApiFieldOnlyWhenChosen(bool? enabled)
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => MockHttpHandler.Json(HttpStatusCode.Accepted, """{"uuid": "op-123"}"""));
        var request = new InstanceMetadata
        {
            Command = "true",
            Image = ClientHarness.ImageUuid,
            Networking = enabled is { } on ? new InstanceNetworking { Enabled = on } : null,
        };

        await harness.Client.SpawnInstanceAsync(request, Ct);

        using var body = System.Text.Json.JsonDocument.Parse(Assert.Single(harness.Requests).BodyText);
        if (enabled is { } expected)
        {
            Assert.Equal(expected, body.RootElement.GetProperty("networking").GetProperty("enabled").GetBoolean());
        }
        else
        {
            Assert.False(body.RootElement.TryGetProperty("networking", out _), "the service's default applies when the run does not say");
        }
    }

    [Fact]
    public async Task SpawnInstance_AllowedHosts_IsRefusedBeforeAnythingIsSent()
    {
        using var harness = new ClientHarness();
        var request = new InstanceMetadata
        {
            Command = "true",
            Image = ClientHarness.ImageUuid,
            Networking = new InstanceNetworking { Enabled = true, AllowedHosts = ["pypi.org"] },
        };

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.SpawnInstanceAsync(request, Ct));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Contains("allowed_hosts is not available on the cloud backend", error.Message, StringComparison.Ordinal);
        Assert.Empty(harness.Requests);
    }

    [Fact]
    public async Task SpawnInstance_EmptyUuidNoLocation_ThrowsNoOperationId()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ => MockHttpHandler.Json(HttpStatusCode.Accepted, """{"uuid": ""}"""));

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.SpawnInstanceAsync(Spawn(), Ct));

        Assert.Equal("No operation ID returned from spawn_instance", error.Message);
    }

    [Fact]
    public async Task SpawnInstance_EmptyUuidWithLocation_UsesLocation()
    {
        using var harness = new ClientHarness();
        harness.Respond(_ =>
        {
            var response = MockHttpHandler.Json(HttpStatusCode.Accepted, """{"uuid": ""}""");
            response.Headers.Location = new Uri("https://api.example.com/v1/operations/op-456");
            return response;
        });

        Assert.Equal("op-456", await harness.Client.SpawnInstanceAsync(Spawn(), Ct));
    }

    [Fact]
    public async Task SpawnInstance_ImageIsATagReference_ThrowsInvalidArgument()
    {
        using var harness = new ClientHarness();

        var error = await Assert.ThrowsAsync<ContreeException>(() => harness.Client.SpawnInstanceAsync(Spawn() with { Image = "tag:python:3.11" }, Ct));

        Assert.Equal(ContreeErrorKind.InvalidArgument, error.Kind);
        Assert.Empty(harness.Requests);
    }

    private static InstanceMetadata Spawn() => new() { Command = "echo hi", Image = ClientHarness.ImageUuid, Shell = true };

    /// <summary>Hides the length so the content goes out without a Content-Length, like a chunked response.</summary>
    private sealed class NonSeekable(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
