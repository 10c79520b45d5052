namespace Contree.Bench;

/// <summary>
/// A minimal root filesystem from Debian's busybox-static (as tests/Common/BusyboxRootfs.cs builds it):
/// <c>/bin/busybox</c>, one symlink per applet, <c>/etc/passwd</c>, <c>/etc/group</c>, <c>/tmp</c> (1777),
/// <c>/root</c> (0700) and empty mount points.
/// </summary>
internal static class BusyboxRootfs
{
    public const string HostBusybox = "/bin/busybox";

    private static readonly string[] Directories =
    [
        "bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "root", "tmp", "var", "home", "mnt",
    ];

    public static async Task<string> CreateAsync(string directory, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(HostBusybox))
        {
            throw new BenchException($"{HostBusybox} is missing; install busybox-static (bench/run.sh does)");
        }

        var root = Path.GetFullPath(directory);
        foreach (var dir in Directories)
        {
            Directory.CreateDirectory(Path.Combine(root, dir));
        }

        File.SetUnixFileMode(Path.Combine(root, "root"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.SetUnixFileMode(Path.Combine(root, "tmp"), (UnixFileMode)0b1_111_111_111);
        File.Copy(HostBusybox, Path.Combine(root, "bin", "busybox"));
        var applets = await HostProcess.RunAsync(HostBusybox, ["--list-full"], cancellationToken);
        foreach (var applet in applets.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (applet == "bin/busybox" || applet.Contains("..", StringComparison.Ordinal) || applet.StartsWith('/'))
            {
                continue;
            }

            var link = Path.Combine(root, applet);
            Directory.CreateDirectory(Path.GetDirectoryName(link)!);
            if (!Path.Exists(link))
            {
                File.CreateSymbolicLink(link, "/bin/busybox");
            }
        }

        await File.WriteAllTextAsync(Path.Combine(root, "etc", "passwd"), "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(root, "etc", "group"), "root:x:0:\nnogroup:x:65534:\n", cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(root, "etc", "hostname"), "linuxkit\n", cancellationToken);
        return root;
    }
}
