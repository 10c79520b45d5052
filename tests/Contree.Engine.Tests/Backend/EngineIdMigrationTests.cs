using Contree.Core.Models;
using Contree.Engine.Inspect;
using Contree.Engine.Interop;
using Contree.Engine.Storage;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Backend;

/// <summary>
/// A data directory written before the sandbox id range (image files owned by the image's ids as such, root's by host
/// root) is moved to the range at the first start, keeps working, and an interrupted move finishes at the next start.
/// </summary>
public sealed class EngineIdMigrationTests
{
    public static bool CanRunSandboxes => HostRequirements.CanRunSandboxes;

    [Fact(Skip = HostRequirements.SandboxSkipReason, SkipUnless = nameof(CanRunSandboxes))]
    public async Task Start_StoreFromBeforeTheRange_MovedOnceAndRunsAsImageRoot()
    {
        string dataDirectory, image, layer;
        await using (var old = new EngineFixture())
        {
            dataDirectory = old.DataDirectory;
            image = old.CreateBusyboxImage();
            layer = Path.Combine(Directory.GetDirectories(old.Get<EnginePaths>().Layers).Single(), "fs");
            await old.DisposeProviderAsync();

            // As an engine before the range left it: image ids on disk, a setuid file, and a move that stopped half-way
            // (one file already in the range).
            Unshift(layer);
            var setuid = Path.Combine(layer, "bin", "suid-tool");
            File.Copy(Path.Combine(layer, "bin", "busybox"), setuid);
            Libc.CheckIo(Libc.Lchown(setuid, 1000, 1000), setuid, "lchown");
            File.SetUnixFileMode(setuid, (UnixFileMode)0b100_111_101_101);
            Libc.CheckIo(Libc.Lchown(Path.Combine(layer, "etc"), SandboxIds.ToHost(0), SandboxIds.ToHost(0)), "etc", "lchown");
            File.Delete(Path.Combine(dataDirectory, "sandbox-ids"));

            await using var engine = new EngineFixture(o => o.DataDirectory = dataDirectory);

            Assert.All(Entries(layer), static entry => Assert.True(SandboxIds.IsShifted(entry.Stat.Uid) && SandboxIds.IsShifted(entry.Stat.Gid), entry.Path));
            Assert.Equal(SandboxIds.ToHost(1000), HostFs.Lstat(setuid).Uid);
            Assert.Equal(0b100_111_101_101, HostFs.Lstat(setuid).Permissions);
            var op = await engine.RunAsync(new InstanceMetadata
            {
                Command = "stat -c '%u:%g %a' /bin/busybox /bin/suid-tool && touch /bin/new && echo written",
                Image = image,
                Shell = true,
                Disposable = true,
            });
            Assert.Equal("0:0 755\n1000:1000 4755\nwritten\n", op.Instance!.Result!.Stdout.ToText());
            var listing = await engine.Backend.ListDirectoryAsync(image, "/bin", TestContext.Current.CancellationToken);
            Assert.Equal(("1000", "1000"), listing.Files.Where(f => f.Path == "suid-tool").Select(f => (f.Owner, f.Group)).Single());
        }
    }

    private static void Unshift(string root)
    {
        foreach (var (path, stat) in Entries(root).ToList())
        {
            Libc.CheckIo(Libc.Lchown(path, (uint)SandboxIds.ToImage(stat.Uid), (uint)SandboxIds.ToImage(stat.Gid)), path, "lchown");
        }
    }

    private static IEnumerable<(string Path, FileStat Stat)> Entries(string root) =>
        Directory.EnumerateFileSystemEntries(root, "*", SearchOption.AllDirectories).Prepend(root).Select(static path => (path, HostFs.Lstat(path)));
}
