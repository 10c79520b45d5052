using System.Runtime.InteropServices;

namespace Contree.Engine.Runtime;

/// <summary>
/// The host programs and libraries runs need, each with its Debian package: the runtime refuses a run naming the
/// missing one (<see cref="SandboxStartError"/>), and <c>contree-mcp doctor</c> lists the same.
/// </summary>
internal static class RequiredPrograms
{
    private const UnixFileMode AnyExecute = UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>The launch chain of every run (docs/security.md).</summary>
    public static IReadOnlyList<RequiredProgram> Launch(RuntimeOptions options) =>
    [
        new(options.BubblewrapPath, "bubblewrap (bwrap)", "bubblewrap"),
        new(options.SetprivPath, "setpriv", "util-linux"),
        new(options.UnsharePath, "unshare", "util-linux"),
        new(options.NsenterPath, "nsenter", "util-linux"),
        new(options.ShellPath, "a POSIX shell (sh)", "dash"),
    ];

    /// <summary>What an <c>internet</c> run needs besides <see cref="Interop.Nftables.Library"/>: slirp4netns, and ip(8) with an egress namespace.</summary>
    public static IReadOnlyList<RequiredProgram> Network(RuntimeOptions options) =>
        options.EgressNetworkNamespace is null
            ? [Slirp4netns(options)]
            : [Slirp4netns(options), new(options.IpPath, "ip (iproute2)", "iproute2")];

    public static bool IsExecutable(string path) => File.Exists(path) && (File.GetUnixFileMode(path) & AnyExecute) != 0;

    /// <summary>Whether the dynamic loader finds <paramref name="library"/> (the way the P/Invoke will load it).</summary>
    public static bool CanLoad(string library)
    {
        if (!NativeLibrary.TryLoad(library, out var handle))
        {
            return false;
        }

        NativeLibrary.Free(handle);
        return true;
    }

    private static RequiredProgram Slirp4netns(RuntimeOptions options) =>
        new(options.Slirp4netnsPath, "slirp4netns (the network of internet runs; network=\"none\" needs none)", "slirp4netns");
}
