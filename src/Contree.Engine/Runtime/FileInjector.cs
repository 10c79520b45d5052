using Contree.Core.Errors;
using Contree.Engine.Interop;
using Contree.Engine.Storage;
using Microsoft.Win32.SafeHandles;

namespace Contree.Engine.Runtime;

/// <summary>
/// Writes injected files through the merged overlay mount before the command starts, so existing parent directories
/// are copied up with the image's metadata and missing ones are created 0755 root:root. Paths resolve as if
/// <c>merged</c> were the root (symlinks, absolute or relative, and <c>..</c> never leave it; like openat2(2)
/// RESOLVE_IN_ROOT), and the final component is opened with O_NOFOLLOW.
/// </summary>
internal static class FileInjector
{
    private const int MaxSymlinkHops = 40;

    private const UnixFileMode DirectoryMode =
        UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute |
        UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute;

    public static void Inject(string mergedRoot, IReadOnlyList<InjectedFile> files)
    {
        foreach (var file in files)
        {
            InjectOne(mergedRoot, file);
        }
    }

    /// <summary>Validates a sandbox path: absolute, no NUL, no empty name; returns its components.</summary>
    public static string[] SplitSandboxPath(string path)
    {
        if (string.IsNullOrEmpty(path) || path[0] != '/')
        {
            throw ContreeException.InvalidArgument($"file path must be absolute inside the sandbox, got: '{path}'");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw ContreeException.InvalidArgument("file path contains a NUL character");
        }

        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(static p => p != ".").ToArray();
        if (parts.Length == 0 || parts[^1] == "..")
        {
            throw ContreeException.InvalidArgument($"file path must name a file, got: '{path}'");
        }

        return parts;
    }

    /// <summary>
    /// Creates the working directory when the image lacks it (0755 root, as Docker does for WORKDIR), so a missing
    /// cwd does not end as a bwrap failure that looks like the command's own exit code 1.
    /// </summary>
    public static void EnsureDirectory(string mergedRoot, string path)
    {
        var parts = path.Split('/', StringSplitOptions.RemoveEmptyEntries).Where(static p => p != ".").ToArray();
        ResolveDirectory(mergedRoot, parts, path);
    }

    /// <summary>Injects one file; returns where it landed, relative to the root, after resolving symlinks in its parents.</summary>
    public static string InjectOne(string mergedRoot, InjectedFile file)
    {
        if (file.Mode is < 0 or > 0xFFF)
        {
            throw ContreeException.InvalidArgument($"mode of '{file.Path}' must be permission bits 0..07777, got {file.Mode}");
        }

        if (file.Uid is < 0 or >= (int)SandboxIds.Count || file.Gid is < 0 or >= (int)SandboxIds.Count)
        {
            throw ContreeException.InvalidArgument($"uid/gid of '{file.Path}' must be 0 to {SandboxIds.Count - 1} (the ids a sandbox has)");
        }

        var parts = SplitSandboxPath(file.Path);
        var parent = ResolveDirectory(mergedRoot, parts.AsSpan(0, parts.Length - 1), file.Path);
        var target = Path.Combine(parent, parts[^1]);
        var info = new FileInfo(target);
        if (info.Exists || info.LinkTarget is not null)
        {
            if (info.LinkTarget is not null)
            {
                // Replacing a symlink instead of writing through it: its target could be anywhere.
                File.Delete(target);
            }
        }
        else if (Directory.Exists(target))
        {
            throw ContreeException.InvalidArgument($"cannot inject '{file.Path}': a directory exists at that path in the image");
        }

        var fd = Libc.Open(target, Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC | Libc.O_NOFOLLOW | Libc.O_CLOEXEC, 0x180);
        Libc.CheckIo(fd, file.Path, "open");
        using var handle = new SafeFileHandle(fd, ownsHandle: true);
        Libc.CheckIo(Libc.Fchown(fd, SandboxIds.ToHost(file.Uid), SandboxIds.ToHost(file.Gid)), file.Path, "fchown");

        // fchmod after fchown: chown clears set-user-ID/set-group-ID bits.
        Libc.CheckIo(Libc.Fchmod(fd, (uint)file.Mode), file.Path, "fchmod");
        using var output = new FileStream(handle, FileAccess.Write, bufferSize: 0);
        using var input = new FileStream(file.SourcePath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        input.CopyTo(output, 81920);
        return Path.GetRelativePath(mergedRoot, target);
    }

    /// <summary>Resolves directory components below the root, creating missing ones; never leaves the root.</summary>
    private static string ResolveDirectory(string root, ReadOnlySpan<string> components, string displayPath)
    {
        var pending = new Stack<string>();
        for (var i = components.Length - 1; i >= 0; i--)
        {
            pending.Push(components[i]);
        }

        var current = new List<string>();
        var hops = 0;
        while (pending.Count > 0)
        {
            var name = pending.Pop();
            if (name is "." or "")
            {
                continue;
            }

            if (name == "..")
            {
                // Clamped at the root, like the kernel does for a chroot.
                if (current.Count > 0)
                {
                    current.RemoveAt(current.Count - 1);
                }

                continue;
            }

            var hostPath = Path.Combine(root, string.Join('/', current), name);
            var info = new FileInfo(hostPath);
            if (info.LinkTarget is { } link)
            {
                if (++hops > MaxSymlinkHops)
                {
                    throw ContreeException.InvalidArgument($"too many symlinks while resolving '{displayPath}'");
                }

                if (link.StartsWith('/'))
                {
                    current.Clear();
                }

                var linkParts = link.Split('/', StringSplitOptions.RemoveEmptyEntries);
                for (var i = linkParts.Length - 1; i >= 0; i--)
                {
                    pending.Push(linkParts[i]);
                }

                continue;
            }

            if (info.Exists)
            {
                throw ContreeException.InvalidArgument($"cannot use '{displayPath}': '/{string.Join('/', current.Append(name))}' is a file in the image, not a directory");
            }

            if (!Directory.Exists(hostPath))
            {
                Directory.CreateDirectory(hostPath);
                Libc.CheckIo(Libc.Lchown(hostPath, SandboxIds.ToHost(0), SandboxIds.ToHost(0)), hostPath, "lchown");
                File.SetUnixFileMode(hostPath, DirectoryMode);
            }

            current.Add(name);
        }

        return current.Count == 0 ? root : Path.Combine(root, string.Join('/', current));
    }
}
