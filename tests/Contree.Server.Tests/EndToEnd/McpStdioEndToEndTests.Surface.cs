using System.Text.Json;
using Contree.Tests.Common;
using ModelContextProtocol.Protocol;

namespace Contree.Server.Tests.EndToEnd;

/// <summary>What a client discovers and reads: tool and template lists, stdin/env, binary files and the instance resource.</summary>
public sealed partial class McpStdioEndToEndTests
{
    private static readonly string[] ExpectedTools =
    [
        "contree_run", "contree_import_image", "contree_list_images", "contree_get_image", "contree_set_tag",
        "contree_list_files", "contree_read_file", "contree_upload", "contree_download", "contree_rsync",
        "contree_get_operation", "contree_list_operations", "contree_wait_operations", "contree_cancel_operation",
        "contree_registry_token_obtain", "contree_registry_auth", "contree_get_guide",
    ];

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Discovery_ToolsAndTemplates_AllPrefixedWithSchemas()
    {
        var tools = await Session.Client.ListToolsAsync(cancellationToken: TestContext.Current.CancellationToken);
        var templates = await Session.Client.ListResourceTemplatesAsync(cancellationToken: TestContext.Current.CancellationToken);

        var names = tools.Select(t => t.Name).ToHashSet(StringComparer.Ordinal);
        Assert.All(ExpectedTools, name => Assert.Contains(name, names));
        Assert.All(tools, t => Assert.StartsWith("contree_", t.Name, StringComparison.Ordinal));
        var run = tools.Single(t => t.Name == "contree_run");
        var properties = run.ProtocolTool.InputSchema.GetProperty("properties");
        Assert.All(
            (string[])["command", "image", "disposable", "directory_state_id", "truncate_output_at", "wait"],
            p => Assert.True(properties.TryGetProperty(p, out _), $"contree_run has no '{p}' parameter"));
        Assert.NotNull(run.ProtocolTool.OutputSchema);
        var uris = templates.Select(t => t.UriTemplate).ToList();
        Assert.Contains("contree://image/{image}/read/{+path}", uris);
        Assert.Contains("contree://image/{image}/ls/{+path}", uris);
        Assert.Contains("contree://image/{image}/lineage", uris);
        var prompts = await Session.Client.ListPromptsAsync(cancellationToken: TestContext.Current.CancellationToken);
        Assert.Contains(prompts, p => p.Name == "run-shell");
        Assert.Contains("contree_run", await Session.ReadTextAsync("contree://guide/quickstart"), StringComparison.Ordinal);
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_StdinEnvHostnameAndShellFalse_PassedThrough()
    {
        var shell = AssertRan(await RunAsync(new
        {
            command = "read line; echo \"$line|$GREETING|$(hostname)|$(pwd)\"",
            image = BaseImage,
            stdin = "first line\nsecond\n",
            env = new Dictionary<string, string> { ["GREETING"] = "hi there" },
            hostname = "e2e-box",
            cwd = "/tmp",
        }));
        var direct = AssertRan(await RunAsync(new { command = "/bin/echo", args = new[] { "a  b", "$HOME", ";" }, shell = false, image = BaseImage }));

        Assert.Equal("first line|hi there|e2e-box|/tmp\n", Stdout(shell));
        Assert.Equal("a  b $HOME ;\n", Stdout(direct));
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task ReadFile_BinaryAndPrefix_Base64AndTruncated()
    {
        var run = AssertRan(await RunAsync(new { command = "printf '\\377\\000\\001binary' > /root/bin.dat && head -c 3000 /dev/zero | tr '\\0' t > /root/long.txt", image = BaseImage, disposable = false }));
        var image = run.GetProperty("result_image").GetString()!;

        var binary = await Session.CallOkAsync("contree_read_file", new { image, path = "/root/bin.dat" });
        var prefix = await Session.CallOkAsync("contree_read_file", new { image, path = "root/long.txt", max_bytes = 100 });
        var blob = await Session.Client.ReadResourceAsync($"contree://image/{image}/read/root/bin.dat", cancellationToken: TestContext.Current.CancellationToken);

        Assert.Equal("base64", binary.GetProperty("encoding").GetString());
        Assert.Equal([0xFF, 0x00, 0x01, .. "binary"u8.ToArray()], Convert.FromBase64String(binary.GetProperty("content").GetString()!));
        Assert.Equal(9, binary.GetProperty("bytes_size").GetInt64());
        Assert.Equal(new string('t', 100), prefix.GetProperty("content").GetString());
        Assert.True(prefix.GetProperty("truncated").GetBoolean());
        Assert.Equal(3000, prefix.GetProperty("bytes_size").GetInt64());
        var contents = Assert.IsType<BlobResourceContents>(Assert.Single(blob.Contents));
        Assert.Equal([0xFF, 0x00, 0x01, .. "binary"u8.ToArray()], contents.DecodedData.ToArray());
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task InstanceResource_FinishedRun_JsonWithOutputAndState()
    {
        var run = AssertRan(await RunAsync(new { command = "echo resource-out; echo resource-err >&2; exit 4", image = BaseImage }), exitCode: 4);

        var json = JsonDocument.Parse(await Session.ReadTextAsync($"contree://operations/instance/{run.GetProperty("operation_id").GetString()}")).RootElement;
        var wrongKind = await Assert.ThrowsAnyAsync<Exception>(() =>
            Session.Client.ReadResourceAsync($"contree://operations/import/{run.GetProperty("operation_id").GetString()}", cancellationToken: TestContext.Current.CancellationToken).AsTask());

        Assert.Equal("SUCCESS", json.GetProperty("state").GetString());
        Assert.Equal(4, json.GetProperty("exit_code").GetInt32());
        Assert.Equal("resource-out\n", json.GetProperty("stdout").GetString());
        Assert.Equal("resource-err\n", json.GetProperty("stderr").GetString());
        Assert.False(json.GetProperty("timed_out").GetBoolean());
        Assert.Contains("not an import", wrongKind.Message, StringComparison.Ordinal);
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_BinaryOutput_DecodedAsUtf8WithReplacement()
    {
        var run = AssertRan(await RunAsync(new { command = "printf 'caf\\303\\251 \\377 end'", image = BaseImage }));

        Assert.Equal("café \uFFFD end", Stdout(run));
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Inspect_SymlinksUnknownIdsAndForeignImages_ReportedPlainly()
    {
        var unknown = Guid.NewGuid().ToString("D");

        var bin = await Session.CallOkAsync("contree_list_files", new { image = "tag:" + fixture.BaseTag, path = "bin" });
        var missingOperation = await Session.CallErrorAsync("contree_get_operation", new { operation_id = unknown });
        var missingImage = await Session.CallErrorAsync("contree_list_files", new { image = unknown, path = "/" });
        var missingFile = await Assert.ThrowsAsync<ModelContextProtocol.McpProtocolException>(() =>
            Session.Client.ReadResourceAsync($"contree://image/{BaseImage}/read/etc/no-such-file", cancellationToken: TestContext.Current.CancellationToken).AsTask());
        var baseLineage = JsonDocument.Parse(await Session.ReadTextAsync($"contree://image/{BaseImage}/lineage")).RootElement;

        var sh = Assert.Single(bin.GetProperty("files").EnumerateArray(), f => f.GetProperty("name").GetString() == "sh");
        Assert.Equal(("symlink", "/bin/busybox", "/bin/sh"), (sh.GetProperty("type").GetString(), sh.GetProperty("target").GetString(), sh.GetProperty("path").GetString()));
        Assert.Equal("/bin", bin.GetProperty("path").GetString());
        Assert.StartsWith("Error executing tool contree_get_operation:", missingOperation, StringComparison.Ordinal);
        Assert.Contains(unknown, missingOperation, StringComparison.Ordinal);
        Assert.Contains(unknown, missingImage, StringComparison.Ordinal);
        Assert.Contains("no-such-file", missingFile.Message, StringComparison.Ordinal);
        Assert.True(baseLineage.GetProperty("is_known").GetBoolean());
        Assert.Equal(0, baseLineage.GetProperty("depth").GetInt32());
        Assert.True(baseLineage.GetProperty("root").GetProperty("is_import").GetBoolean());
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task Run_ManyConcurrentWaitingCalls_EachGetsItsOwnResult()
    {
        var calls = Enumerable.Range(0, 10)
            .Select(i => RunAsync(new { command = $"sleep 0.{i % 3}; echo call-{i}", image = BaseImage }))
            .ToList();

        var results = await Task.WhenAll(calls);

        for (var i = 0; i < results.Length; i++)
        {
            Assert.Equal($"call-{i}\n", Stdout(AssertRan(results[i])));
        }

        Assert.Equal(10, results.Select(r => r.GetProperty("operation_id").GetString()).Distinct().Count());
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task ImportImage_OciAndDockerArchives_ImportedAndRunnable()
    {
        var scratch = Directory.CreateTempSubdirectory("contree-e2e-archives-").FullName;
        try
        {
            var rootfs = BusyboxRootfs.Create(Path.Combine(scratch, "rootfs"));
            var tar = OciImageBuilder.TarDirectory(rootfs);
            var marker = OciImageBuilder.Tar(OciImageBuilder.File("marker", "from an archive\n"));
            var ociArchive = Path.Combine(scratch, "image.oci.tar");
            var dockerArchive = Path.Combine(scratch, "image.docker.tar");
            OciImageWriter.WriteOciArchive(ociArchive, (OciImageBuilder.Image(OciImageBuilder.Config([tar, marker]), [OciImageBuilder.GzipLayer(tar), OciImageBuilder.GzipLayer(marker)]), "v1"));
            OciImageWriter.WriteDockerArchive(dockerArchive, [tar, marker], "e2e/archive:v1");

            foreach (var url in new[] { $"oci-archive:{ociArchive}", $"docker-archive:{dockerArchive}" })
            {
                var import = await Session.CallOkAsync("contree_import_image", new { registry_url = url });
                Assert.True(import.GetProperty("status").GetString() == "SUCCESS", $"import of {url}: {import}");
                var run = AssertRan(await RunAsync(new { command = "cat /marker && ls /bin/busybox", image = import.GetProperty("result_image").GetString() }));
                Assert.Equal("from an archive\n/bin/busybox\n", Stdout(run));
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    [Fact(Skip = SkipReason, SkipUnless = nameof(CanRun))]
    public async Task ReadFile_NamesNeedingEscapes_ToolAndPercentEncodedResource()
    {
        const string name = "we?ird#na%me ü.txt";
        var run = AssertRan(await RunAsync(new { command = $"mkdir -p '/data/sub dir' && echo odd > '/data/sub dir/{name}'", image = BaseImage, disposable = false }));
        var image = run.GetProperty("result_image").GetString()!;

        var read = await Session.CallOkAsync("contree_read_file", new { image, path = $"/data/sub dir/{name}" });
        var listing = await Session.CallOkAsync("contree_list_files", new { image, path = "/data/sub dir" });
        var resource = await Session.ReadTextAsync($"contree://image/{image}/read/data/{Uri.EscapeDataString("sub dir")}/{Uri.EscapeDataString(name)}");
        var ls = await Session.ReadTextAsync($"contree://image/{image}/ls/data/{Uri.EscapeDataString("sub dir")}");

        Assert.Equal("odd\n", read.GetProperty("content").GetString());
        Assert.Equal(name, Assert.Single(listing.GetProperty("files").EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal("odd\n", resource);
        Assert.Contains(name, ls, StringComparison.Ordinal);
    }
}
