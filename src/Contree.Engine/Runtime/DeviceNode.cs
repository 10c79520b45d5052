using Contree.Engine.Interop;

namespace Contree.Engine.Runtime;

/// <summary>
/// One of the character devices <c>bwrap --dev</c> provides, made again for each run in the run's directory, so that
/// what a command does to the node's inode (chmod, chown, utimes, xattrs) stays with the run instead of reaching the
/// host's <c>/dev</c>.
/// </summary>
/// <param name="Path">The run's copy on the host.</param>
/// <param name="SandboxPath">Where the sandbox sees it.</param>
/// <param name="Major">Device major number (Documentation/admin-guide/devices.txt).</param>
/// <param name="Minor">Device minor number.</param>
internal sealed record DeviceNode(string Path, string SandboxPath, uint Major, uint Minor)
{
    /// <summary>The nodes bwrap's <c>--dev</c> binds from the host (bwrap(1)), with their device numbers.</summary>
    public static IReadOnlyList<DeviceNode> In(string directory) =>
    [
        new(System.IO.Path.Combine(directory, "dev-null"), "/dev/null", 1, 3),
        new(System.IO.Path.Combine(directory, "dev-zero"), "/dev/zero", 1, 5),
        new(System.IO.Path.Combine(directory, "dev-full"), "/dev/full", 1, 7),
        new(System.IO.Path.Combine(directory, "dev-random"), "/dev/random", 1, 8),
        new(System.IO.Path.Combine(directory, "dev-urandom"), "/dev/urandom", 1, 9),
        new(System.IO.Path.Combine(directory, "dev-tty"), "/dev/tty", 5, 0),
    ];

    /// <summary>Creates the node, mode 0666 like the host's (the umask does not apply: it is set afterwards).</summary>
    public void Create()
    {
        Libc.CheckIo(Libc.Mknod(Path, Libc.S_IFCHR | 0x1b6 /* 0666 */, (Major << 8) | Minor), Path, "mknod");
        File.SetUnixFileMode(Path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.OtherRead | UnixFileMode.OtherWrite);
    }
}
