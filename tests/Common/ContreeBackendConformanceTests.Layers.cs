namespace Contree.Tests.Common;

/// <summary>
/// Long chains of non-disposable runs: whatever the backend does to keep them cheap (the local engine squashes a chain
/// deeper than its MaxLayerDepth into one layer), deletions, re-creations and replaced directories must survive.
/// </summary>
public abstract partial class ContreeBackendConformanceTests
{
    /// <summary>Deeper than the fixtures' MaxLayerDepth (8), so the local engine squashes at least once.</summary>
    private const int ChainLength = 12;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_LongChainWithDeletions_FinalImageKeepsEveryStep()
    {
        var image = BaseImage;
        for (var step = 0; step < ChainLength; step++)
        {
            var command = step switch
            {
                0 => "mkdir /chain && echo 0 > /chain/f0 && echo keep > /etc/keep",
                4 => "echo 4 > /chain/f4 && rm /chain/f0 /etc/group",
                6 => "echo 6 > /chain/f6 && rm -rf /usr && mkdir -p /usr/new && echo n > /usr/new/x",
                9 => "echo 9 > /chain/f9 && echo again > /chain/f0",
                _ => $"echo {step} > /chain/f{step}",
            };
            var op = await RunShellAsync(command, image, disposable: false);
            AssertInstanceSucceeded(op);
            Assert.NotEqual(image, op.Result?.Image);
            image = op.Result!.Image!;
        }

        var check = await RunShellAsync("ls /chain | sort | tr '\\n' ' '; cat /chain/f0 /chain/f11 /etc/keep; ls -A /usr; test -e /etc/group || echo no-group", image);

        Assert.Equal(
            "f0 f1 f10 f11 f2 f3 f4 f5 f6 f7 f8 f9 again\n11\nkeep\nnew\nno-group\n",
            AssertInstanceSucceeded(check).Stdout.ToText());
        Assert.Equal(ChainLength, (await Backend.ListDirectoryAsync(image, "/chain", Token)).Files.Count);
        Assert.Equal(["new"], (await Backend.ListDirectoryAsync(image, "/usr", Token)).Files.Select(f => f.Path));
        Assert.False(await Backend.FileExistsInImageAsync(image, "/etc/group", Token));
        Assert.True(await Backend.FileExistsInImageAsync(image, "/etc/keep", Token));
        await using var f0 = await Backend.DownloadFileAsync(image, "/chain/f0", Token);
        Assert.Equal("again\n", await new StreamReader(f0).ReadToEndAsync(Token));
    }
}
