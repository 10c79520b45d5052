using System.Security.Cryptography;
using System.Text;
using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>Uploaded files (E11–E14) and their injection into instances (E15 <c>files</c>).</summary>
public abstract partial class ContreeBackendConformanceTests
{
    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task UploadFile_NewContent_FoundByHashAndUuid()
    {
        var content = Encoding.UTF8.GetBytes($"conformance upload {Guid.NewGuid():N}\n");
        var sha256 = Convert.ToHexStringLower(SHA256.HashData(content));
        var absentHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Guid.NewGuid().ToString())));

        Assert.False(await Backend.FileExistsByHashAsync(sha256, Token));
        using var stream = new MemoryStream(content);
        var uploaded = await Backend.UploadFileAsync(stream, Token);
        var byHash = await Backend.GetFileByHashAsync(sha256, Token);

        Assert.Equal(sha256, uploaded.Sha256);
        Assert.True(Guid.TryParse(uploaded.Uuid, out _), $"file uuid '{uploaded.Uuid}' is not a UUID");
        Assert.NotNull(byHash);
        Assert.Equal(uploaded.Uuid, byHash.Uuid);
        Assert.True(await Backend.FileExistsByHashAsync(sha256, Token));
        Assert.True(await Backend.FileExistsByUuidAsync(uploaded.Uuid, Token));
        Assert.Null(await Backend.GetFileByHashAsync(absentHash, Token));
        Assert.False(await Backend.FileExistsByHashAsync(absentHash, Token));
        Assert.False(await Backend.FileExistsByUuidAsync(Guid.NewGuid().ToString("D"), Token));
    }

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes), SkipType = typeof(ContreeBackendConformanceTests))]
    public async Task Spawn_InjectedFilesWithModes_PlacedWithContentAndPermissions()
    {
        var marker = Guid.NewGuid().ToString("N");
        var script = $"#!/bin/sh\necho injected {marker}\n";
        using var stream = new MemoryStream(Encoding.UTF8.GetBytes(script));
        var file = await Backend.UploadFileAsync(stream, Token);

        var op = await RunAsync(new InstanceMetadata
        {
            Command = "stat -c '%a %n' /opt/tools/tool.sh /root/copy.txt && /opt/tools/tool.sh && cat /root/copy.txt",
            Image = BaseImage,
            Shell = true,
            Disposable = true,
            Files = new Dictionary<string, InstanceFileSpec>
            {
                ["/opt/tools/tool.sh"] = new() { Uuid = file.Uuid, Mode = "0755" },
                ["/root/copy.txt"] = new() { Uuid = file.Uuid, Mode = "0o600" },
            },
        });

        var result = AssertInstanceSucceeded(op);
        var expected = $"755 /opt/tools/tool.sh\n600 /root/copy.txt\ninjected {marker}\n{script}";
        Assert.Equal(expected, result.Stdout.ToText());
    }
}
