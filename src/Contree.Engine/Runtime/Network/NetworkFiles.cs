using Contree.Core.Errors;
using Contree.Engine.Inspect;

namespace Contree.Engine.Runtime.Network;

/// <summary>
/// <c>/etc/resolv.conf</c> and <c>/etc/hosts</c> of a run with a network, written into the overlay before the command
/// starts (by <see cref="FileInjector"/>: symlinks in the image resolve inside it, a symlink at the file itself is
/// replaced, never followed) and taken out of the upper directory afterwards unless the command changed them, so a
/// committed image carries them only when the command wrote them itself.
/// </summary>
internal static class NetworkFiles
{
    public static Injected Inject(string merged, string upper, string runDirectory, string hostname, string resolvConf)
    {
        var upperEtc = Path.Combine(upper, "etc");
        var etcWasInUpper = HostFs.TryLstat(upperEtc, out _);
        var files = new List<(string UpperPath, FileStat Stat)>();
        foreach (var (name, content) in new[]
        {
            ("resolv.conf", resolvConf),
            ("hosts", $"127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n127.0.1.1\t{hostname}\n"),
        })
        {
            var source = Path.Combine(runDirectory, "network-" + name);
            File.WriteAllText(source, content);
            try
            {
                var landed = FileInjector.InjectOne(merged, new InjectedFile("/etc/" + name, source, 0b110_100_100, 0, 0));
                var upperPath = Path.Combine(upper, landed);
                files.Add((upperPath, HostFs.Lstat(upperPath)));
            }
            catch (ContreeException exception) when (exception.Kind == ContreeErrorKind.InvalidArgument)
            {
                // A directory where the file would go (or a symlink loop): the image keeps what it has.
            }
            finally
            {
                File.Delete(source);
            }
        }

        return new Injected(upperEtc, etcWasInUpper, files);
    }

    /// <summary>Takes the files out of the upper directory (after unmounting) when the command left them as written.</summary>
    public static void Revert(Injected injected)
    {
        foreach (var (path, written) in injected.Files)
        {
            // Same inode, size, times, owner and mode: the command neither rewrote, replaced, touched nor chmod'ed it.
            if (HostFs.TryLstat(path, out var now) && now.Inode == written.Inode && now.Size == written.Size && now.Mode == written.Mode
                && now.Uid == written.Uid && now.Gid == written.Gid
                && now.MtimeSeconds == written.MtimeSeconds && now.MtimeNanoseconds == written.MtimeNanoseconds)
            {
                File.Delete(path);
            }
        }

        // lstat, not Directory.Exists: a command may have made /etc a symlink, which must not be followed on the host.
        // (A file is deleted above only when it is still the inode the engine wrote.)
        if (!injected.EtcWasInUpper && HostFs.TryLstat(injected.UpperEtc, out var etc) && etc.IsDirectory
            && !Directory.EnumerateFileSystemEntries(injected.UpperEtc).Any())
        {
            Directory.Delete(injected.UpperEtc);
        }
    }

    internal sealed record Injected(string UpperEtc, bool EtcWasInUpper, IReadOnlyList<(string UpperPath, FileStat Stat)> Files);
}
