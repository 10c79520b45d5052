using Contree.Engine.Inspect;
using Contree.Engine.Interop;
using Contree.Engine.Storage;

namespace Contree.Engine.Runtime.Network;

/// <summary>
/// <c>/etc/resolv.conf</c> and <c>/etc/hosts</c> of a run with a network, written into the overlay before the command
/// starts and taken out of the upper directory afterwards unless the command changed them, so a committed image carries
/// them only when the command wrote them itself.
/// </summary>
internal static class NetworkFiles
{
    /// <summary>Writes the files through the mounted overlay (which copies <c>/etc</c> up as overlayfs does).</summary>
    public static Injected Inject(string merged, string upper, string hostname, string resolvConf)
    {
        var upperEtc = Path.Combine(upper, "etc");
        var etcWasInUpper = HostFs.TryLstat(upperEtc, out _);
        FileInjector.EnsureDirectory(merged, "/etc");
        var files = new List<(string Name, FileStat Stat)>();
        foreach (var (name, content) in new[]
        {
            ("resolv.conf", resolvConf),
            ("hosts", $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n"),
        })
        {
            var path = Path.Combine(merged, "etc", name);
            if (HostFs.TryLstat(path, out var existing) && !existing.IsRegular)
            {
                // A symlink (e.g. to systemd-resolved's stub file) or anything else is replaced, never followed.
                File.Delete(path);
            }

            File.WriteAllText(path, content);
            var imageRoot = SandboxIds.ToHost(0);
            Libc.CheckIo(Libc.Lchown(path, imageRoot, imageRoot), path, "lchown");
            File.SetUnixFileMode(path, (UnixFileMode)0b110_100_100);
            files.Add((name, HostFs.Lstat(Path.Combine(upperEtc, name))));
        }

        return new Injected(upperEtc, etcWasInUpper, files);
    }

    /// <summary>Takes the files out of the upper directory (after unmounting) when the command left them as written.</summary>
    public static void Revert(Injected injected)
    {
        foreach (var (name, written) in injected.Files)
        {
            var path = Path.Combine(injected.UpperEtc, name);
            // Same inode, size, times, owner and mode: the command neither rewrote, replaced, touched nor chmod'ed it.
            if (HostFs.TryLstat(path, out var now) && now.Inode == written.Inode && now.Size == written.Size && now.Mode == written.Mode
                && now.Uid == written.Uid && now.Gid == written.Gid
                && now.MtimeSeconds == written.MtimeSeconds && now.MtimeNanoseconds == written.MtimeNanoseconds)
            {
                File.Delete(path);
            }
        }

        if (!injected.EtcWasInUpper && Directory.Exists(injected.UpperEtc) && !Directory.EnumerateFileSystemEntries(injected.UpperEtc).Any())
        {
            Directory.Delete(injected.UpperEtc);
        }
    }

    internal sealed record Injected(string UpperEtc, bool EtcWasInUpper, IReadOnlyList<(string Name, FileStat Stat)> Files);
}
