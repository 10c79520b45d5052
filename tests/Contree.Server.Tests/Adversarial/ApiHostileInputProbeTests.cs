using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Contree.Client;
using Contree.Core;
using Contree.Core.Models;
using Contree.Server.Tests.EndToEnd;
using Contree.Tests.Common;
using Microsoft.Extensions.DependencyInjection;

namespace Contree.Server.Tests.Adversarial;

/// <summary>
/// Hostile input to every /v1 endpoint of the real <c>contree-mcp api</c> (the local engine: bubblewrap, an SQLite data
/// directory): traversal and NUL in inspect paths, symlinks in an image aimed at host files, ids that are not ids, bodies
/// of the wrong shape or size, uploads cut short or injected outside the sandbox root, and import references that are no
/// registry. Each must be refused with the API's <c>{"error": …}</c> body (no host path, no exception text) or resolve
/// inside the image, and leave the host as it was: a canary directory outside the store unchanged, no file left in the
/// data directory's runs, staging or ingest directories, and no mount of this engine left behind.
/// </summary>
public sealed class ApiHostileInputProbeTests(ApiHostileInputProbeTests.ServedEngine engine) : IClassFixture<ApiHostileInputProbeTests.ServedEngine>
{
    public static bool CanRun => HostRequirements.CanRunSandboxes;

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>Parts of a body that would give away the host or the server's internals.</summary>
    private static readonly string[] LeakMarkers = ["/tmp/", "/work/", "/run/contree-mcp", "Exception", "   at ", "System.", "Microsoft.", "internal error"];

    /// <summary>
    /// The <c>api</c> command on a private data directory with the busybox image imported, a child image holding symlinks
    /// to host paths (made by a command, as an attacker would), and a canary directory next to the data directory.
    /// </summary>
    public sealed class ServedEngine : IAsyncLifetime
    {
        private ServiceProvider? _services;

        internal ServerInstance Server { get; private set; } = null!;

        public HttpClient Http { get; private set; } = null!;

        public IContreeBackend Backend { get; private set; } = null!;

        public string BaseImage { get; private set; } = "";

        /// <summary>The image whose <c>/x</c>, <c>/hostdir</c>, <c>/datadir</c> and <c>/up</c> are symlinks out of it.</summary>
        public string LinkImage { get; private set; } = "";

        /// <summary>An import operation (for the output endpoints' query probes).</summary>
        public string ImportOperation { get; private set; } = "";

        /// <summary>A directory of the host outside the data directory that nothing may read into an image or write to.</summary>
        public string CanaryDirectory => Path.Combine(Server.Root, "host-canary");

        public string CanaryFile => Path.Combine(CanaryDirectory, "secret.txt");

        public string CanaryContent { get; } = $"host-secret-{Guid.NewGuid():N}\n";

        /// <summary>The image's /etc/passwd (from <see cref="BusyboxRootfs"/>), which differs from the host's.</summary>
        public string ImagePasswd { get; private set; } = "";

        public async ValueTask InitializeAsync()
        {
            if (!CanRun)
            {
                return;
            }

            var ct = TestContext.Current.CancellationToken;
            Server = new ServerInstance();
            try
            {
                Directory.CreateDirectory(CanaryDirectory);
                await File.WriteAllTextAsync(CanaryFile, CanaryContent, ct);
                var layout = Path.Combine(Server.Root, "layout");
                var rootfs = BusyboxRootfs.Create(Path.Combine(Server.Root, "rootfs"));
                ImagePasswd = await File.ReadAllTextAsync(Path.Combine(rootfs, "etc", "passwd"), ct);
                OciImageWriter.WriteLayout(layout, (OciImageBuilder.SimpleImage(OciImageBuilder.TarDirectory(rootfs)), "1"));
                var (baseUrl, _) = await Server.StartApiAsync(ct);
                Http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
                _services = new ServiceCollection().AddLogging().AddContreeClient(o => o.BaseUrl = baseUrl.ToString()).BuildServiceProvider();
                Backend = _services.GetRequiredService<IContreeBackend>();

                var import = await ContreeBackendConformanceTests.WaitTerminalAsync(
                    Backend, await Backend.ImportImageAsync(new ImportImageMetadata { Registry = new ImageRegistry { Url = $"oci:{layout}:1" } }, ct), ct);
                BaseImage = import.Result?.Image ?? throw new InvalidOperationException($"import failed: {import.Error}\n{Server.StandardError}");
                ImportOperation = import.Uuid;

                var links = await ContreeBackendConformanceTests.WaitTerminalAsync(Backend, await Backend.SpawnInstanceAsync(
                    new InstanceMetadata
                    {
                        Command = $"ln -s /etc/shadow /x && ln -s {CanaryDirectory} /hostdir && ln -s {Server.DataDirectory} /datadir"
                            + " && ln -s ../../../../../../../etc/passwd /up",
                        Image = BaseImage,
                        Shell = true,
                        Disposable = false,
                    },
                    ct), ct);
                LinkImage = links.Result?.Image is { Length: > 0 } image && image != BaseImage
                    ? image
                    : throw new InvalidOperationException($"the symlink image was not made: {links.Status} {links.Error}\n{Server.StandardError}");
            }
            catch
            {
                await DisposeAsync();
                throw;
            }
        }

        /// <summary>What must not change: the canary, and the data directory's transient directories and mounts (all idle).</summary>
        public HostState Snapshot() => new(
            File.ReadAllText(CanaryFile),
            File.GetLastWriteTimeUtc(CanaryFile),
            string.Join('\n', Directory.EnumerateFileSystemEntries(CanaryDirectory, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal)),
            string.Join('\n', ((string[])["runs", "staging", "ingest"])
                .SelectMany(d => Directory.EnumerateFileSystemEntries(Path.Combine(Server.DataDirectory, d)))),
            string.Join('\n', Server.MountsUnderRoot()));

        /// <summary>
        /// The host is as <paramref name="before"/>, with nothing transient left in the store. Cleanup that follows a
        /// refused request on the server (a cut upload's temporary file) gets a few seconds: nothing signals its end.
        /// </summary>
        public async Task AssertIntactAsync(HostState before)
        {
            var deadline = Stopwatch.StartNew();
            var now = Snapshot();
            while ((now.Transient.Length > 0 || now.Mounts.Length > 0) && deadline.Elapsed < TimeSpan.FromSeconds(5))
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), TestContext.Current.CancellationToken);
                now = Snapshot();
            }

            Assert.Equal(before, now);
            Assert.Equal(CanaryContent, now.Canary);
            Assert.Equal("", now.Transient);
            Assert.Equal("", now.Mounts);
        }

        public async ValueTask DisposeAsync()
        {
            Http?.Dispose();
            if (_services is not null)
            {
                await _services.DisposeAsync();
                _services = null;
            }

            if (Server is not null)
            {
                await Server.DisposeAsync();
            }
        }
    }

    public sealed record HostState(string Canary, DateTime CanaryWritten, string CanaryTree, string Transient, string Mounts);

    public enum Expect
    {
        /// <summary>200 with the image's /etc/passwd, never the host's.</summary>
        ImagePasswd,

        /// <summary>200 with the listing of the image's root.</summary>
        ImageRoot,

        BadRequest,

        NotFound,
    }

    // ---- inspect paths --------------------------------------------------------------------------------------------

    /// <summary>
    /// <c>{canary}</c> and <c>{data}</c> stand for host paths of this engine. Traversal resolves as if the image were /
    /// (the documented contract), so it reads the image's file; NUL and over-long names are refused.
    /// </summary>
    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("GET", "download", "path=../../etc/passwd", Expect.ImagePasswd)]
    [InlineData("GET", "download", "path=/../../../../../../../etc/passwd", Expect.ImagePasswd)]
    [InlineData("GET", "download", "path=%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd", Expect.ImagePasswd)]
    [InlineData("GET", "download", "path=..%252f..%252fetc%252fpasswd", Expect.NotFound)]
    [InlineData("GET", "download", "path=/etc/passwd%00.txt", Expect.BadRequest)]
    [InlineData("HEAD", "download", "path=/etc/passwd%00", Expect.BadRequest)]
    [InlineData("GET", "list", "path=/etc%00/..", Expect.BadRequest)]
    [InlineData("GET", "list", "path=%00&text=", Expect.BadRequest)]
    [InlineData("GET", "list", "path=../../../../..", Expect.ImageRoot)]
    [InlineData("GET", "download", "path={canary}/secret.txt", Expect.NotFound)]
    [InlineData("HEAD", "download", "path={canary}/secret.txt", Expect.NotFound)]
    [InlineData("GET", "list", "path={data}&text=", Expect.NotFound)]
    [InlineData("GET", "download", "path=/proc/self/environ", Expect.NotFound)]
    [InlineData("GET", "download", "path=/{long}", Expect.BadRequest)]
    [InlineData("GET", "list", "path=/etc/{long}", Expect.BadRequest)]
    [InlineData("HEAD", "download", "path=/{long}", Expect.BadRequest)]
    public async Task InspectPath_Hostile_ResolvesInsideTheImageOrIsRefused(string method, string endpoint, string query, Expect expect)
    {
        var before = engine.Snapshot();
        var target = $"/v1/inspect/{engine.BaseImage}/{endpoint}?" + query
            .Replace("{canary}", engine.CanaryDirectory, StringComparison.Ordinal)
            .Replace("{data}", engine.Server.DataDirectory, StringComparison.Ordinal)
            .Replace("{long}", new string('n', 1000), StringComparison.Ordinal);

        var (status, body) = await SendAsync(method, target);

        switch (expect)
        {
            case Expect.ImagePasswd:
                Assert.Equal(HttpStatusCode.OK, status);
                Assert.Equal(engine.ImagePasswd, body);
                Assert.NotEqual(await File.ReadAllTextAsync("/etc/passwd", Ct), body);
                break;
            case Expect.ImageRoot:
                Assert.Equal(HttpStatusCode.OK, status);
                var (_, root) = await SendAsync("GET", $"/v1/inspect/{engine.BaseImage}/list?path=/");
                Assert.Equal(root, body);
                break;
            default:
                AssertRefused(status, body, target, method, expect == Expect.BadRequest ? HttpStatusCode.BadRequest : HttpStatusCode.NotFound);
                Assert.DoesNotContain(engine.CanaryContent.Trim(), body, StringComparison.Ordinal);
                break;
        }

        await engine.AssertIntactAsync(before);
    }

    /// <summary>64 KiB of path: Kestrel refuses the request line (414) before any handler runs.</summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task InspectPath_64KiB_IsRefusedBeforeAnyHandler()
    {
        var before = engine.Snapshot();
        var path = string.Concat(Enumerable.Repeat("../aaaaaaaaaaaa/", 64 * 1024 / 16));

        var (status, body) = await RawAsync($"GET /v1/inspect/{engine.BaseImage}/download?path={path} HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n");

        Assert.InRange(status, 400, 499);
        AssertNoLeak(body, "");
        await engine.AssertIntactAsync(before);
    }

    /// <summary>
    /// A command made <c>/x → /etc/shadow</c> and links to the canary directory and the data directory, then committed
    /// the image. The inspect endpoints follow them inside the image (where none of them exist), never on the host.
    /// </summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task ImageSymlinksToHostPaths_ReadThroughEveryInspectEndpoint_ShowOnlyTheImage()
    {
        var before = engine.Snapshot();
        var hostShadow = File.Exists("/etc/shadow") ? await File.ReadAllTextAsync("/etc/shadow", Ct) : null;
        var image = engine.LinkImage;

        var (listStatus, list) = await SendAsync("GET", $"/v1/inspect/{image}/list?path=/");
        Assert.Equal(HttpStatusCode.OK, listStatus);
        Assert.Contains("\"symlink_to\":\"/etc/shadow\"", list, StringComparison.Ordinal);

        foreach (var (method, target) in (List<(string, string)>)
        [
            ("GET", $"/v1/inspect/{image}/download?path=/x"),
            ("HEAD", $"/v1/inspect/{image}/download?path=/x"),
            ("GET", $"/v1/inspect/{image}/list?path=/x"),
            ("GET", $"/v1/inspect/{image}/list?path=/x&text="),
            ("GET", $"/v1/inspect/{image}/list?path=/hostdir"),
            ("GET", $"/v1/inspect/{image}/download?path=/hostdir/secret.txt"),
            ("HEAD", $"/v1/inspect/{image}/download?path=/hostdir/secret.txt"),
            ("GET", $"/v1/inspect/{image}/download?path=/datadir/engine.db"),
            ("GET", $"/v1/inspect/{image}/list?path=/datadir/layers"),
        ])
        {
            var (status, body) = await SendAsync(method, target);

            AssertRefused(status, body, target, method, HttpStatusCode.NotFound);
            Assert.DoesNotContain(engine.CanaryContent.Trim(), body, StringComparison.Ordinal);
            if (hostShadow is not null)
            {
                Assert.DoesNotContain(hostShadow.Split(':')[0] + ":", body, StringComparison.Ordinal);
            }
        }

        var (upStatus, up) = await SendAsync("GET", $"/v1/inspect/{image}/download?path=/up");
        Assert.Equal(HttpStatusCode.OK, upStatus);
        Assert.Equal(engine.ImagePasswd, up);
        await engine.AssertIntactAsync(before);
    }

    // ---- ids ------------------------------------------------------------------------------------------------------

    /// <summary>Every endpoint that takes an image, operation, file or tag id, given one that is no id.</summary>
    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("' OR 1=1 --")]
    [InlineData("x' UNION SELECT uuid, tag FROM images; DROP TABLE images; --")]
    [InlineData("../../../../etc/passwd")]
    [InlineData("..\\..\\engine.db\0")]
    [InlineData("*")]
    [InlineData("long")]
    public async Task Id_NotAnId_IsRefusedByEveryEndpointAndChangesNothing(string id)
    {
        id = id == "long" ? new string('f', 4096) : id;
        var before = engine.Snapshot();
        var imagesBefore = await ListAsync("/v1/images?limit=10000");
        var operationsBefore = await ListAsync("/v1/operations?limit=10000");
        var segment = Uri.EscapeDataString(id);
        var json = JsonSerializer.Serialize(id);

        foreach (var (method, target, body) in (List<(string, string, string?)>)
        [
            ("GET", $"/v1/inspect/{segment}/", null),
            ("GET", $"/v1/inspect/{segment}/list?path=/", null),
            ("GET", $"/v1/inspect/{segment}/list?path=/&text=", null),
            ("GET", $"/v1/inspect/{segment}/download?path=/etc/passwd", null),
            ("HEAD", $"/v1/inspect/{segment}/download?path=/etc/passwd", null),
            ("GET", $"/v1/inspect/?tag={segment}", null),
            ("PATCH", $"/v1/images/{segment}/tag", """{"tag":"probe-tag"}"""),
            ("DELETE", $"/v1/images/{segment}/tag", null),
            ("GET", $"/v1/files?sha256={segment}", null),
            ("HEAD", $"/v1/files?sha256={segment}", null),
            ("HEAD", $"/v1/files?uuid={segment}", null),
            ("POST", "/v1/instances", $$"""{"command":"true","image":{{json}}}"""),
            ("POST", "/v1/instances", JsonSerializer.Serialize(new { command = "true", image = engine.BaseImage, files = new Dictionary<string, object> { ["/f"] = new { uuid = id } } })),
            ("GET", $"/v1/operations/{segment}", null),
            ("DELETE", $"/v1/operations/{segment}", null),
            ("GET", $"/v1/operations/{segment}/stdout", null),
            ("GET", $"/v1/operations/{segment}/stderr?offset=0&length=10", null),
        ])
        {
            var (status, text) = await SendAsync(method, target, body);

            AssertRefused(status, text, target + body, method);
        }

        Assert.Equal(imagesBefore, await ListAsync("/v1/images?limit=10000"));
        Assert.Equal(operationsBefore, await ListAsync("/v1/operations?limit=10000"));
        Assert.Equal(HttpStatusCode.NotFound, (await SendAsync("GET", "/v1/inspect/?tag=probe-tag")).Status);
        await engine.AssertIntactAsync(before);
    }

    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("/v1/images?limit=-1")]
    [InlineData("/v1/images?offset=99999999999999999999")]
    [InlineData("/v1/operations?status=%27%20OR%201%3D1%20--&kind=instance")]
    [InlineData("/v1/operations?since=..%2F..%2Fetc&until=%00")]
    [InlineData("/v1/operations/{op}/stdout?offset=-1")]
    [InlineData("/v1/operations/{op}/stderr?length=1e99")]
    public async Task QueryParameter_Hostile_Is400(string target)
    {
        target = target.Replace("{op}", engine.ImportOperation, StringComparison.Ordinal);

        var (status, body) = await SendAsync("GET", target);

        AssertRefused(status, body, target, "GET", HttpStatusCode.BadRequest);
    }

    // ---- request bodies -------------------------------------------------------------------------------------------

    /// <summary><c>{image}</c> stands for the base image. Each body is refused before anything is queued.</summary>
    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}",""", "not valid JSON")]
    [InlineData("/v1/instances", """[{"command":"true"}]""", "must be a JSON object")]
    [InlineData("/v1/instances", """{"command":["rm","-rf","/"],"image":"{image}"}""", "body field 'command'")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","timeout":-1}""", "timeout must be between")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","timeout":1e300}""", "body field 'timeout'")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","truncate_output_at":9223372036854775807}""", "truncate_output_at must be between")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","truncate_output_at":-5}""", "truncate_output_at must be between")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","env":null}""", "body field 'env' must not be null")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","files":{"/x":null}}""", "must not be null")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","args":["a",null],"stdin":{"value":null}}""", "must not be null")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","env":{"LD_PRELOAD=/tmp/x.so":"1"}}""", "env name")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","env":{"A\u0000B":"1"}}""", "env name")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","env":{"A":"1\u0000B=2"}}""", "env value")]
    [InlineData("/v1/instances", """{"command":"true\u0000; rm -rf /","image":"{image}"}""", "NUL")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","files":{"etc/../../x":{"uuid":"u"}}}""", "absolute")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","files":{"/x\u0000/../../y":{"uuid":"u"}}}""", "absolute")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","cwd":"../../.."}""", "cwd must be an absolute path")]
    [InlineData("/v1/instances", """{"command":"true","image":"{image}","hostname":"x;reboot"}""", "hostname")]
    [InlineData("/v1/images/import", """{"registry":{"url":"oci:/x","credentials":null}}""", "must not be null")]
    [InlineData("/v1/images/import", """{"registry":{"url":"oci:/x"},"timeout":-86400}""", "timeout must be between")]
    public async Task Body_Hostile_Is400AndNothingIsQueued(string path, string body, string expected)
    {
        body = body.Replace("{image}", engine.BaseImage, StringComparison.Ordinal);
        var before = engine.Snapshot();
        var operationsBefore = await ListAsync("/v1/operations?limit=10000");

        var (status, text) = await SendAsync("POST", path, body);

        var error = AssertRefused(status, text, body, "POST", HttpStatusCode.BadRequest);
        Assert.Contains(expected, error, StringComparison.Ordinal);
        Assert.Equal(operationsBefore, await ListAsync("/v1/operations?limit=10000"));
        await engine.AssertIntactAsync(before);
    }

    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("""{"tag":null}""")]
    [InlineData("""{"tag":["a"]}""")]
    [InlineData("long")]
    public async Task TagBody_Hostile_Is400AndTheTagIsUnchanged(string body)
    {
        body = body == "long" ? JsonSerializer.Serialize(new { tag = new string('t', 64 * 1024) }) : body;
        var target = $"/v1/images/{engine.BaseImage}/tag";

        var (status, text) = await SendAsync("PATCH", target, body);

        AssertRefused(status, text, body, "PATCH", HttpStatusCode.BadRequest);
        var (_, image) = await SendAsync("GET", $"/v1/inspect/{engine.BaseImage}/");
        Assert.Equal(JsonValueKind.Null, JsonDocument.Parse(image).RootElement.GetProperty("tag").ValueKind);
    }

    /// <summary>
    /// Fields the API does not have (privileges, mounts, host network) are ignored, not honoured, and a forged
    /// <c>result</c> is replaced by the real one.
    /// </summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Body_UnknownAndForgedFields_GrantNothing()
    {
        var before = engine.Snapshot();
        var body = $$$$"""
            {"command":"test -e /host/etc/passwd && echo escaped; id -u; echo done","image":"{{{{engine.BaseImage}}}}","shell":true,
             "privileged":true,"host_network":true,"cap_add":["ALL"],"mounts":[{"source":"/","target":"/host"}],"user":"0:0",
             "result":{"stdout":{"value":"forged"},"stderr":{"value":"forged"}}}
            """;

        var (status, text) = await SendAsync("POST", "/v1/instances", body);

        Assert.Equal(HttpStatusCode.Accepted, status);
        var id = JsonDocument.Parse(text).RootElement.GetProperty("uuid").GetString()!;
        var op = await ContreeBackendConformanceTests.WaitTerminalAsync(engine.Backend, id, Ct);
        Assert.Equal(OperationStatus.Success, op.Status);
        Assert.Equal("0\ndone\n", op.Instance!.Result!.Stdout.ToText());
        var (_, stored) = await SendAsync("GET", $"/v1/operations/{id}");
        foreach (var unknown in (string[])["privileged", "host_network", "cap_add", "mounts", "forged"])
        {
            Assert.DoesNotContain(unknown, stored, StringComparison.Ordinal);
        }

        await engine.AssertIntactAsync(before);
    }

    /// <summary>
    /// A body declared far over Kestrel's limit (30,000,000 bytes, the only limit of the JSON endpoints) is refused from
    /// its Content-Length with 413 before a byte of it is sent, so nothing is buffered.
    /// </summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Body_DeclaredOverTheLimit_Is413BeforeItIsSent()
    {
        var before = engine.Snapshot();
        foreach (var request in (string[])["POST /v1/instances", "POST /v1/images/import", $"PATCH /v1/images/{engine.BaseImage}/tag"])
        {
            var stopwatch = Stopwatch.StartNew();

            var (status, body) = await RawAsync(
                $"{request} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: {1L << 30}\r\n\r\n");

            Assert.Equal(413, status);
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(5), $"{request} answered after {stopwatch.Elapsed}");
            var error = ErrorOf(body);
            Assert.StartsWith("bad request: Request body too large", error, StringComparison.Ordinal);
            AssertNoLeak(error, "");
        }

        await engine.AssertIntactAsync(before);
    }

    // ---- uploads --------------------------------------------------------------------------------------------------

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Upload_Empty_IsTheEmptyFile()
    {
        var before = engine.Snapshot();

        var (status, body) = await SendAsync("POST", "/v1/files", "", "application/octet-stream");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
            JsonDocument.Parse(body).RootElement.GetProperty("sha256").GetString());
        await engine.AssertIntactAsync(before);
    }

    /// <summary>
    /// An upload that declares a terabyte and stops after a megabyte: the server drops the partial file (no blob, no
    /// temporary file in ingest) and keeps serving.
    /// </summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Upload_HugeDeclaredLengthCutShort_LeavesNothingBehind()
    {
        var before = engine.Snapshot();
        var blobs = Path.Combine(engine.Server.DataDirectory, "blobs", "sha256");
        var blobsBefore = Directory.GetFiles(blobs).Order(StringComparer.Ordinal).ToList();

        await RawAsync(
            $"POST /v1/files HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/octet-stream\r\nContent-Length: {1L << 40}\r\n\r\n",
            new byte[1024 * 1024],
            closeAfterBody: true);

        await engine.AssertIntactAsync(before);
        Assert.Equal(blobsBefore, Directory.GetFiles(blobs).Order(StringComparer.Ordinal).ToList());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync("GET", "/v1/images")).Status);
    }

    /// <summary>
    /// An uploaded file injected at <c>/../../../../tmp/…</c>, through the image's symlink to a host directory, and
    /// through its symlink to the data directory lands inside the sandbox each time; a target that names no file fails
    /// the run cleanly.
    /// </summary>
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    public async Task Upload_InjectedAtEscapingPaths_StaysInsideTheSandbox()
    {
        var before = engine.Snapshot();
        var marker = $"contree-probe-{Guid.NewGuid():N}";
        var content = $"injected {marker}";
        var (uploadStatus, upload) = await SendAsync("POST", "/v1/files", content, "application/octet-stream");
        Assert.Equal(HttpStatusCode.OK, uploadStatus);
        var file = JsonDocument.Parse(upload).RootElement.GetProperty("uuid").GetString();
        var targets = new[] { $"/../../../../tmp/{marker}", $"/hostdir/{marker}", $"/datadir/runs/{marker}" };
        var inside = new[] { $"/tmp/{marker}", $"{engine.CanaryDirectory}/{marker}", $"{engine.Server.DataDirectory}/runs/{marker}" };

        var (status, text) = await SendAsync("POST", "/v1/instances", JsonSerializer.Serialize(new
        {
            command = "cat " + string.Join(' ', inside),
            image = engine.LinkImage,
            shell = true,
            disposable = true,
            files = targets.ToDictionary(static t => t, _ => (object)new { uuid = file }),
        }));

        Assert.Equal(HttpStatusCode.Accepted, status);
        var op = await ContreeBackendConformanceTests.WaitTerminalAsync(engine.Backend, JsonDocument.Parse(text).RootElement.GetProperty("uuid").GetString()!, Ct);
        Assert.True(op.Status == OperationStatus.Success, $"{op.Status} {op.Error} {op.Instance?.Result?.Stderr.ToText()}");
        Assert.Equal(content + content + content, op.Instance!.Result!.Stdout.ToText());
        Assert.All(inside, path => Assert.False(File.Exists(path), $"{path} was written on the host"));

        var (noFileStatus, noFileText) = await SendAsync("POST", "/v1/instances", JsonSerializer.Serialize(
            new { command = "true", image = engine.BaseImage, disposable = true, files = new Dictionary<string, object> { ["/tmp/../.."] = new { uuid = file } } }));
        if (noFileStatus == HttpStatusCode.Accepted)
        {
            var failed = await ContreeBackendConformanceTests.WaitTerminalAsync(
                engine.Backend, JsonDocument.Parse(noFileText).RootElement.GetProperty("uuid").GetString()!, Ct);
            Assert.Equal(OperationStatus.Failed, failed.Status);
            Assert.Contains("must name a file", failed.Error, StringComparison.Ordinal);
            AssertNoLeak(failed.Error!, "/tmp/../..");
        }
        else
        {
            AssertRefused(noFileStatus, noFileText, "", "POST", HttpStatusCode.BadRequest);
        }

        await engine.AssertIntactAsync(before);
    }

    // ---- import ---------------------------------------------------------------------------------------------------

    /// <summary>
    /// References that are no registry (or no loopback one) are refused at once or fail within seconds, naming the
    /// reference, without any connection: none of them may end as "cannot reach registry". <c>{long}</c> is 64 KiB of
    /// repository name on localhost, so even a parser that let it through would only try loopback.
    /// </summary>
    [Theory(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRun))]
    [InlineData("")]
    [InlineData("file:///etc/shadow")]
    [InlineData("file:/etc/shadow")]
    [InlineData("http://127.0.0.1:1/x")]
    [InlineData("ftp://127.0.0.1/x")]
    [InlineData("javascript:alert(1)")]
    [InlineData("localhost:abc/x")]
    [InlineData("localhost:99999/x")]
    [InlineData("docker://127.0.0.1:1/x:1\r\nHost: evil.example")]
    [InlineData("docker://localhost/{long}")]
    [InlineData("oci:relative/../../etc")]
    [InlineData("docker-archive:/etc/shadow")]
    public async Task Import_HostileReference_IsRefusedQuicklyWithoutNetwork(string url)
    {
        url = url.Replace("{long}", new string('a', 64 * 1024), StringComparison.Ordinal);
        var before = engine.Snapshot();
        var imagesBefore = await ListAsync("/v1/images?limit=10000");
        var stopwatch = Stopwatch.StartNew();
        var body = JsonSerializer.Serialize(new { registry = new { url } });

        var (status, text) = await SendAsync("POST", "/v1/images/import", body);

        string error;
        if (status == HttpStatusCode.Accepted)
        {
            var op = await ContreeBackendConformanceTests.WaitTerminalAsync(
                engine.Backend, JsonDocument.Parse(text).RootElement.GetProperty("uuid").GetString()!, Ct);
            Assert.Equal(OperationStatus.Failed, op.Status);
            error = op.Error ?? "";
            AssertNoLeak(error, url);
        }
        else
        {
            error = AssertRefused(status, text, body, "POST", HttpStatusCode.BadRequest);
        }

        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(10), $"took {stopwatch.Elapsed}");
        Assert.DoesNotContain("cannot reach", error, StringComparison.Ordinal);
        Assert.True(error.Length < 1024, $"the error repeats the reference: {error.Length} characters");
        if (File.Exists("/etc/shadow"))
        {
            Assert.DoesNotContain((await File.ReadAllTextAsync("/etc/shadow", Ct)).Split(':')[0] + ":", error, StringComparison.Ordinal);
        }

        Assert.Equal(imagesBefore, await ListAsync("/v1/images?limit=10000"));
        await engine.AssertIntactAsync(before);
    }

    // ---- helpers --------------------------------------------------------------------------------------------------

    private async Task<(HttpStatusCode Status, string Body)> SendAsync(string method, string target, string? body = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), target);
        if (body is not null)
        {
            request.Content = new StringContent(body, new UTF8Encoding(false), contentType);
        }

        using var response = await engine.Http.SendAsync(request, Ct);
        return (response.StatusCode, await response.Content.ReadAsStringAsync(Ct));
    }

    /// <summary>The uuids (and tags) a listing endpoint returns, to see that a probe added or changed nothing.</summary>
    private async Task<string> ListAsync(string target)
    {
        var (status, body) = await SendAsync("GET", target);
        Assert.Equal(HttpStatusCode.OK, status);
        return body;
    }

    /// <summary>
    /// A 4xx (one of <paramref name="expected"/> when given) with the API's error body, or no body for HEAD; returns the
    /// message. It may repeat what the request itself said, nothing else of the host.
    /// </summary>
    private string AssertRefused(HttpStatusCode status, string body, string request, string method, params HttpStatusCode[] expected)
    {
        Assert.True((int)status is >= 400 and < 500, $"{method} {request[..Math.Min(request.Length, 300)]}: {(int)status} {body}");
        if (expected.Length > 0)
        {
            Assert.Contains(status, expected);
        }

        if (method == "HEAD")
        {
            Assert.Equal("", body);
            return "";
        }

        if (request.Split('?')[0].Contains("%00", StringComparison.Ordinal) && status == HttpStatusCode.BadRequest && body.Length == 0)
        {
            // Kestrel refuses a NUL in the path itself, before any middleware could write the API's body.
            return "";
        }

        var error = ErrorOf(body);
        AssertNoLeak(error, request);
        return error;
    }

    /// <summary>The message of <c>{"error": "…"}</c>, which must be the body's only member.</summary>
    private static string ErrorOf(string body)
    {
        var root = JsonDocument.Parse(body).RootElement;
        Assert.Equal(JsonValueKind.Object, root.ValueKind);
        var member = Assert.Single(root.EnumerateObject());
        Assert.Equal("error", member.Name);
        var error = member.Value.GetString();
        Assert.False(string.IsNullOrWhiteSpace(error));
        return error!;
    }

    /// <summary>No host path of this engine and no .NET internals, except what <paramref name="request"/> itself held.</summary>
    private void AssertNoLeak(string text, string request)
    {
        foreach (var marker in LeakMarkers.Append(engine.Server.DataDirectory).Append(engine.Server.Root))
        {
            if (!request.Contains(marker, StringComparison.Ordinal))
            {
                Assert.DoesNotContain(marker, text, StringComparison.Ordinal);
            }
        }
    }

    /// <summary>
    /// Sends <paramref name="head"/> (and <paramref name="body"/>) on a raw connection and reads the answer until the
    /// server closes it (10 s at most): the status, and the body with chunked encoding removed. 0 when nothing came.
    /// </summary>
    private async Task<(int Status, string Body)> RawAsync(string head, byte[]? body = null, bool closeAfterBody = false)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, engine.Http.BaseAddress!.Port, Ct);
        var stream = tcp.GetStream();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        deadline.CancelAfter(TimeSpan.FromSeconds(10));
        var received = new MemoryStream();
        try
        {
            await stream.WriteAsync(Encoding.ASCII.GetBytes(head), deadline.Token);
            if (body is not null)
            {
                await stream.WriteAsync(body, deadline.Token);
            }

            if (closeAfterBody)
            {
                tcp.Client.Shutdown(SocketShutdown.Send);
            }

            await stream.CopyToAsync(received, deadline.Token);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException && !Ct.IsCancellationRequested)
        {
            // The server may reset a connection whose body it did not read; what arrived before counts.
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        var split = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (split < 0)
        {
            return (0, "");
        }

        var headers = text[..split];
        var status = int.Parse(headers.Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
        var content = text[(split + 4)..];
        if (headers.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            var decoded = new StringBuilder();
            for (var at = 0; at < content.Length;)
            {
                var end = content.IndexOf("\r\n", at, StringComparison.Ordinal);
                var size = Convert.ToInt32(content[at..end], 16);
                if (size == 0)
                {
                    break;
                }

                decoded.Append(content, end + 2, size);
                at = end + 2 + size + 2;
            }

            content = decoded.ToString();
        }

        return (status, content);
    }
}
