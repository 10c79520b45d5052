using System.Security.Cryptography;
using System.Text;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>
/// Data that must survive every hop unchanged (streams go as ASCII as is, anything else as base64): binary and
/// UTF-8 streams, large uploads, and the request echoed back as the operation's metadata.
/// </summary>
public abstract partial class ContreeBackendConformanceTests
{
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_BinaryStdinAndStdout_BytesPreserved()
    {
        var input = Enumerable.Range(0, 256).Select(i => (byte)i).ToArray();

        var op = await RunAsync(new InstanceMetadata
        {
            Command = "cat; printf '\\377\\376\\000end'",
            Image = BaseImage,
            Shell = true,
            Disposable = true,
            Stdin = StreamPayload.FromBytes(input),
        });

        var stdout = AssertInstanceSucceeded(op).Stdout;
        Assert.Equal(StreamPayload.Base64, stdout.Encoding);
        Assert.Equal([.. input, 0xFF, 0xFE, 0x00, (byte)'e', (byte)'n', (byte)'d'], stdout.ToBytes());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_Utf8TextEverywhere_RoundTrips()
    {
        const string text = "héllo wörld ✓ 日本";

        var op = await RunAsync(new InstanceMetadata
        {
            Command = "cat; echo \" $GREETING\"; echo \"$GREETING\" >&2",
            Image = BaseImage,
            Shell = true,
            Disposable = true,
            Stdin = StreamPayload.FromText(text),
            Env = new Dictionary<string, string> { ["GREETING"] = text },
        });

        var result = AssertInstanceSucceeded(op);
        Assert.Equal($"{text} {text}\n", result.Stdout.ToText());
        Assert.Equal($"{text}\n", result.Stderr.ToText());
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task GetOperation_FinishedInstance_EchoesRequestAsMetadata()
    {
        var request = new InstanceMetadata
        {
            Command = "/bin/sh",
            Args = ["-c", "hostname; id -u; echo \"$A=$B\""],
            Image = BaseImage,
            Shell = false,
            Disposable = true,
            Hostname = "conformance-host",
            Cwd = "/tmp",
            Timeout = 17,
            TruncateOutputAt = 4321,
            Env = new Dictionary<string, string> { ["A"] = "x=y", ["B"] = "" },
        };

        var op = await RunAsync(request);

        Assert.Equal("conformance-host\n0\nx=y=\n", AssertInstanceSucceeded(op).Stdout.ToText());
        var echoed = op.Instance!;
        Assert.Equal(
            (request.Command, request.Image, request.Shell, request.Disposable, request.Hostname, request.Cwd, request.Timeout, request.TruncateOutputAt),
            (echoed.Command, echoed.Image, echoed.Shell, echoed.Disposable, echoed.Hostname, echoed.Cwd, echoed.Timeout, echoed.TruncateOutputAt));
        Assert.Equal(request.Args, echoed.Args);
        Assert.Equal(request.Env.OrderBy(e => e.Key), echoed.Env.OrderBy(e => e.Key));
        Assert.True(op.Duration > 0, $"duration must be measured, got {op.Duration}");
        Assert.True(echoed.Result!.Resources.ElapsedTime >= 0, "elapsed time must be measured");
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task UploadFile_FortyMegabytes_InjectedAndDownloadedWhole()
    {
        var content = new byte[40 * 1024 * 1024];
        new Random(42).NextBytes(content);
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));

        using var stream = new MemoryStream(content);
        var file = await Backend.UploadFileAsync(stream, Token);
        var op = await RunAsync(new InstanceMetadata
        {
            Command = "sha256sum /data/big.bin | cut -d' ' -f1; wc -c < /data/big.bin; cp /data/big.bin /root/copy.bin",
            Image = BaseImage,
            Shell = true,
            Disposable = false,
            Files = new Dictionary<string, InstanceFileSpec> { ["/data/big.bin"] = new() { Uuid = file.Uuid } },
        });

        Assert.Equal(sha256, file.Sha256);
        Assert.Equal($"{sha256}\n{content.Length}\n", AssertInstanceSucceeded(op).Stdout.ToText());
        await using var download = await Backend.DownloadFileAsync(op.Result!.Image!, "/root/copy.bin", Token);
        Assert.Equal(sha256, Convert.ToHexStringLower(await SHA256.HashDataAsync(download, Token)));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_MegabyteOfOutputUnderLimit_KeptWhole()
    {
        var op = await RunAsync(new InstanceMetadata
        {
            Command = "head -c 1048576 /dev/zero | tr '\\0' a; head -c 300000 /dev/zero | tr '\\0' b >&2",
            Image = BaseImage,
            Shell = true,
            Disposable = true,
            TruncateOutputAt = 2 * 1024 * 1024,
        });

        var result = AssertInstanceSucceeded(op);
        Assert.Equal(new string('a', 1048576), result.Stdout.ToText());
        Assert.Equal(new string('b', 300000), result.Stderr.ToText());
        Assert.False(result.Stdout.Truncated || result.Stderr.Truncated);
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_ManyAtOnce_AllQueuedAndFinished()
    {
        var ids = await Task.WhenAll(Enumerable.Range(0, 8).Select(i => Backend.SpawnInstanceAsync(
            new InstanceMetadata { Command = $"echo run-{i}", Image = BaseImage, Shell = true, Disposable = true },
            Token)));

        var ops = await Task.WhenAll(ids.Select(id => WaitTerminalAsync(Backend, id, Token)));

        Assert.Equal(8, ids.Distinct().Count());
        for (var i = 0; i < ops.Length; i++)
        {
            Assert.Equal(Encoding.ASCII.GetBytes($"run-{i}\n"), AssertInstanceSucceeded(ops[i]).Stdout.ToBytes());
        }
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Inspect_NamesNeedingEscapes_ListedAndDownloaded()
    {
        const string directory = "/root/dir with space+plus";
        const string name = "we?ird#na%me&x=1 ü.txt";
        var op = await RunShellAsync($"mkdir -p '{directory}' && printf 'odd name\\n' > '{directory}/{name}'", disposable: false);
        AssertInstanceSucceeded(op);
        var image = op.Result!.Image!;

        var listing = await Backend.ListDirectoryAsync(image, directory, Token);
        var text = await Backend.ListDirectoryTextAsync(image, directory, Token);
        var exists = await Backend.FileExistsInImageAsync(image, $"{directory}/{name}", Token);
        await using var stream = await Backend.DownloadFileAsync(image, $"{directory}/{name}", Token);

        Assert.Equal(name, Assert.Single(listing.Files).Path);
        Assert.Contains(name, text, StringComparison.Ordinal);
        Assert.True(exists);
        Assert.Equal("odd name\n", await new StreamReader(stream).ReadToEndAsync(Token));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task TagImage_TagNeedingEscapes_RoundTrips()
    {
        var image = await CreateChildImageAsync("escaped-tag");
        var tag = $"conformance/odd+tag?x=1&y#frag%20:{Guid.NewGuid():N}";

        var tagged = await Backend.TagImageAsync(image, tag, Token);
        var found = await Backend.GetImageByTagAsync(tag, Token);
        var listed = await Backend.ListImagesAsync(new ImageListQuery { TagPrefix = "conformance/odd+tag?x=1&y#frag%20" }, Token);

        Assert.Equal(tag, tagged.Tag);
        Assert.Equal(image, found.Uuid);
        Assert.Contains(listed.Images, i => i.Uuid == image && i.Tag == tag);
    }
}
