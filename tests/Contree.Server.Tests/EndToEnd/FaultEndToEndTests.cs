using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Contree.Server.Tests.Support;
using Contree.Tests.Common;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>
/// Faults driven into the registry and the store of the real <c>contree-mcp</c> (local engine), seen as an agent sees
/// them: the tool text over stdio and the /v1 response of the <c>api</c> command. A fault the agent can act on is named
/// in its own terms; anything else is <c>internal error &lt;id&gt;</c> with the id in the server log. Neither carries a
/// host path, exception text or a stack.
/// </summary>
public sealed partial class FaultEndToEndTests
{
    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [GeneratedRegex("internal error (?<id>[0-9a-f]{8}) \\(the details are in the server log under this id\\)")]
    private static partial Regex InternalError();

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Mcp_RegistryFaults_ImportFailsWithTheReason()
    {
        await using var server = new ServerInstance();
        await using var registry = new MalformedManifestRegistry();
        var closed = FreePort.Next();
        var session = await server.StartStdioAsync(Token);

        var refused = await session.CallOkAsync("contree_import_image", new { registry_url = $"docker://127.0.0.1:{closed}/test/none:1" });
        var malformed = await session.CallOkAsync("contree_import_image", new { registry_url = $"docker://{registry.Host}/test/bad:1" });

        Assert.Equal("FAILED", refused.GetProperty("status").GetString());
        Assert.Equal(RefusedText(closed), refused.GetProperty("error").GetString());
        Assert.Equal("FAILED", malformed.GetProperty("status").GetString());
        Assert.Equal(MalformedText(registry), malformed.GetProperty("error").GetString());
        AssertNothingInternal(server, refused.ToString(), malformed.ToString());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Mcp_StoreFaults_AreInternalErrorsWithTheirIdsInTheLog()
    {
        await using var server = new ServerInstance();
        var source = WriteUniqueLayout(server);
        var session = await server.StartStdioAsync(Token);
        var image = await ImportAsync(server, () => session.CallOkAsync("contree_import_image", new { registry_url = source }));
        var file = await session.CallOkAsync("contree_upload", new { content = "payload of a lost blob" });
        File.Delete(BlobPath(server, "payload of a lost blob"));

        var listing = await session.CallErrorAsync("contree_list_files", new { image, path = "/" });
        var run = await session.CallOkAsync("contree_run", new { command = "true", image });
        var injected = await session.CallErrorAsync(
            "contree_run", new { command = "true", image, files = new Dictionary<string, string> { ["/x"] = file.GetProperty("uuid").GetString()! } });

        Assert.Equal("FAILED", run.GetProperty("status").GetString());
        AssertInternalAndLogged(server, listing, "layer directory");
        AssertInternalAndLogged(server, run.GetProperty("error").GetString()!, "lowerdir");
        AssertInternalAndLogged(server, injected, "is missing from the store");
        AssertNothingInternal(server, listing, run.ToString(), injected);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Api_RegistryAndStoreFaults_AnswerTheReasonOrInternalErrorWithId()
    {
        await using var server = new ServerInstance();
        await using var registry = new MalformedManifestRegistry();
        var closed = FreePort.Next();
        var source = WriteUniqueLayout(server);
        var (baseUrl, _) = await server.StartApiAsync(Token);
        using var http = new HttpClient { BaseAddress = baseUrl };

        var refused = await ImportOverApiAsync(http, $"docker://127.0.0.1:{closed}/test/none:1");
        var malformed = await ImportOverApiAsync(http, $"docker://{registry.Host}/test/bad:1");
        var image = await ImportAsync(server, async () => await ImportOverApiAsync(http, source));
        var upload = await http.PostAsync("/v1/files", new StringContent("payload of a lost blob"), Token);
        var file = await upload.Content.ReadFromJsonAsync<JsonElement>(Token);
        File.Delete(BlobPath(server, "payload of a lost blob"));
        var (listStatus, listing) = await ErrorAsync(http.GetAsync($"/v1/inspect/{image}/list?path=/", Token));
        var (spawnStatus, injected) = await ErrorAsync(http.PostAsync(
            "/v1/instances",
            Json(JsonSerializer.Serialize(new { command = "true", image, files = new Dictionary<string, object> { ["/x"] = new { uuid = file.GetProperty("uuid").GetString() } } })),
            Token));
        var (badStatus, badBody) = await ErrorAsync(http.PostAsync("/v1/instances", Json("""{"command": "true", "image": """), Token));

        Assert.Equal("FAILED", refused.GetProperty("status").GetString());
        Assert.Equal(RefusedText(closed), refused.GetProperty("error").GetString());
        Assert.Equal("FAILED", malformed.GetProperty("status").GetString());
        Assert.Equal(MalformedText(registry), malformed.GetProperty("error").GetString());
        Assert.Equal(HttpStatusCode.InternalServerError, listStatus);
        AssertInternalAndLogged(server, listing, "layer directory");
        Assert.Equal(HttpStatusCode.InternalServerError, spawnStatus);
        AssertInternalAndLogged(server, injected, "is missing from the store");
        Assert.Equal(HttpStatusCode.BadRequest, badStatus);
        Assert.Equal("the request body is not valid JSON (line 1, byte 30); send a JSON object", badBody);
        AssertNothingInternal(server, refused.ToString(), malformed.ToString(), listing, injected, badBody);
    }

    private static string RefusedText(int port) =>
        $"cannot reach registry 127.0.0.1:{port} at http://127.0.0.1:{port}: the connection was refused (nothing listens on that port)";

    private static string MalformedText(MalformedManifestRegistry registry) =>
        $"manifest of docker://{registry.Host}/test/bad:1 is not valid: malformed JSON or a value of the wrong type at $.config.size (line 1)";

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    /// <summary>An OCI layout of a busybox image with a file of its own, so its layer is shared with no other image.</summary>
    private static string WriteUniqueLayout(ServerInstance server)
    {
        var scratch = Path.Combine(server.Root, "scratch-" + Guid.NewGuid().ToString("N"));
        var rootfs = BusyboxRootfs.Create(Path.Combine(scratch, "rootfs"));
        File.WriteAllText(Path.Combine(rootfs, "unique"), Guid.NewGuid().ToString());
        var layout = Path.Combine(scratch, "layout");
        OciImageWriter.WriteLayout(layout, (OciImageBuilder.SimpleImage(OciImageBuilder.TarDirectory(rootfs), ["PATH=/bin"]), "1"));
        return $"oci:{layout}:1";
    }

    /// <summary>Runs an import that must succeed, then deletes the layer directories it created; returns the image.</summary>
    private static async Task<string> ImportAsync(ServerInstance server, Func<Task<JsonElement>> import)
    {
        var layers = Path.Combine(server.DataDirectory, "layers");
        var before = Directory.Exists(layers) ? Directory.GetDirectories(layers).ToHashSet(StringComparer.Ordinal) : [];
        var result = await import();
        Assert.True(result.GetProperty("status").GetString() == "SUCCESS", $"import failed: {result}\n{server.StandardError}");
        var created = Directory.GetDirectories(layers).Where(d => !before.Contains(d)).ToList();
        Assert.NotEmpty(created);
        foreach (var directory in created)
        {
            Directory.Delete(directory, recursive: true);
        }

        // The tool's flat result, or the wire operation of /v1.
        return result.TryGetProperty("result_image", out var image) ? image.GetString()! : result.GetProperty("result").GetProperty("image").GetString()!;
    }

    private static string BlobPath(ServerInstance server, string content) =>
        Path.Combine(server.DataDirectory, "blobs", "sha256", Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(content))));

    /// <summary>POST /v1/images/import, then GET the operation until it is terminal; returns its wire JSON.</summary>
    private static async Task<JsonElement> ImportOverApiAsync(HttpClient http, string url)
    {
        var accepted = await http.PostAsync("/v1/images/import", Json(JsonSerializer.Serialize(new { registry = new { url } })), Token);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var id = (await accepted.Content.ReadFromJsonAsync<JsonElement>(Token)).GetProperty("uuid").GetString();
        while (true)
        {
            var operation = await http.GetFromJsonAsync<JsonElement>($"/v1/operations/{id}", Token);
            if (operation.GetProperty("status").GetString() is "SUCCESS" or "FAILED" or "CANCELLED")
            {
                return operation;
            }

            // The API has no completion notification; poll as its clients do.
            await Task.Delay(TimeSpan.FromMilliseconds(20), Token);
        }
    }

    private static async Task<(HttpStatusCode Status, string Error)> ErrorAsync(Task<HttpResponseMessage> send)
    {
        using var response = await send;
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(Token);
        return (response.StatusCode, body.GetProperty("error").GetString()!);
    }

    /// <summary>The text holds an internal error whose id the server logged together with <paramref name="detail"/>.</summary>
    private static void AssertInternalAndLogged(ServerInstance server, string text, string detail)
    {
        var match = InternalError().Match(text);
        Assert.True(match.Success, $"not an internal error: {text}");
        var id = match.Groups["id"].Value;
        var log = server.StandardError;
        var at = log.IndexOf($"Internal error {id}", StringComparison.Ordinal);
        Assert.True(at >= 0, $"id {id} is not in the server log:\n{log}");
        Assert.True(log[at..].Contains(detail, StringComparison.Ordinal), $"'{detail}' is not logged with id {id}:\n{log[at..]}");
    }

    private static void AssertNothingInternal(ServerInstance server, params string[] texts)
    {
        foreach (var text in texts)
        {
            Assert.DoesNotContain(server.Root, text, StringComparison.Ordinal);
            Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
            Assert.DoesNotContain("inner exception", text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain("System.", text, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        }
    }
}
