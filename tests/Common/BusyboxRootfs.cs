using System.Diagnostics;

namespace Contree.Tests.Common;

/// <summary>
/// Builds a minimal root filesystem from Debian's busybox-static: <c>/bin/busybox</c>, one symlink per applet
/// (from <c>busybox --list-full</c>), <c>/etc/passwd</c>, <c>/etc/group</c>, <c>/etc/hostname</c>, <c>/tmp</c>
/// (1777), <c>/root</c> (0700) and empty mount points <c>/proc</c>, <c>/dev</c>, <c>/sys</c>. Used as the bottom
/// image layer by sandbox, layer and import tests.
/// </summary>
public static class BusyboxRootfs
{
    /// <summary>Host path of the static busybox binary copied into the root filesystem.</summary>
    public const string HostBusybox = "/bin/busybox";

    private const UnixFileMode Mode0755 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    private const UnixFileMode Mode0644 =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead;

    private const UnixFileMode Mode0700 = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;

    private const UnixFileMode Mode1777 =
        UnixFileMode.StickyBit |
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute |
        UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute;

    private static readonly string[] Directories =
    [
        "bin", "sbin", "usr", "usr/bin", "usr/sbin", "etc", "proc", "sys", "dev", "root", "tmp", "var", "home", "mnt",
    ];

    private static readonly Lazy<string[]> Applets = new(ListApplets);

    /// <summary>
    /// Writes the root filesystem into <paramref name="directory"/> (created when missing; must be empty or
    /// missing) and returns it. Requires <see cref="HostRequirements.HasBusybox"/>.
    /// </summary>
    public static string Create(string directory)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        if (!File.Exists(HostBusybox))
        {
            throw new InvalidOperationException($"{HostBusybox} is missing; install busybox-static");
        }

        var root = Path.GetFullPath(directory);
        Directory.CreateDirectory(root);
        if (Directory.EnumerateFileSystemEntries(root).Any())
        {
            throw new InvalidOperationException($"root filesystem directory '{root}' is not empty");
        }

        File.SetUnixFileMode(root, Mode0755);
        foreach (var dir in Directories)
        {
            var path = Path.Combine(root, dir);
            Directory.CreateDirectory(path);
            File.SetUnixFileMode(path, Mode0755);
        }

        File.SetUnixFileMode(Path.Combine(root, "root"), Mode0700);
        File.SetUnixFileMode(Path.Combine(root, "tmp"), Mode1777);

        var busybox = Path.Combine(root, "bin", "busybox");
        File.Copy(HostBusybox, busybox);
        File.SetUnixFileMode(busybox, Mode0755);

        foreach (var applet in Applets.Value)
        {
            if (applet == "bin/busybox")
            {
                continue;
            }

            var link = Path.Combine(root, applet);
            var parent = Path.GetDirectoryName(link)!;
            if (!Directory.Exists(parent))
            {
                Directory.CreateDirectory(parent);
                File.SetUnixFileMode(parent, Mode0755);
            }

            if (!File.Exists(link) && !Directory.Exists(link))
            {
                File.CreateSymbolicLink(link, "/bin/busybox");
            }
        }

        WriteText(root, "etc/passwd", "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/nonexistent:/bin/false\n");
        WriteText(root, "etc/group", "root:x:0:\nnogroup:x:65534:\n");
        WriteText(root, "etc/hostname", "linuxkit\n");
        return root;
    }

    private static void WriteText(string root, string relative, string content)
    {
        var path = Path.Combine(root, relative);
        File.WriteAllText(path, content);
        File.SetUnixFileMode(path, Mode0644);
    }

    private static string[] ListApplets()
    {
        var start = new ProcessStartInfo(HostBusybox)
        {
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("--list-full");
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start busybox --list-full");
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"busybox --list-full exited with {process.ExitCode}");
        }

        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Where(static a => !a.Contains("..", StringComparison.Ordinal) && !a.StartsWith('/'))
            .ToArray();
    }
}
