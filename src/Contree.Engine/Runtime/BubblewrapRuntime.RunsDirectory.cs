using System.Security.Cryptography;
using System.Text;
using Contree.Core.Errors;
using Contree.Engine.Interop;
using Contree.Engine.Runtime.Seccomp;

namespace Contree.Engine.Runtime;

internal sealed partial class BubblewrapRuntime
{
    private const UnixFileMode Traversable = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
        | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute;

    /// <summary>
    /// Prepares a runs directory once per engine: its mount directory (reachable by the sandbox's root, with private
    /// propagation), the seccomp program and the empty file the runs share. A failure is not remembered: the next run
    /// retries.
    /// </summary>
    private RunsDirectorySetup PrepareRunsDirectory(string runsDirectory)
    {
        lock (_prepareLock)
        {
            if (_preparedRunsDirectories.TryGetValue(runsDirectory, out var prepared))
            {
                return prepared;
            }

            Directory.CreateDirectory(runsDirectory);
            var mountRoot = PrepareMountRoot();
            var mountDirectory = MountDirectoryOf(runsDirectory);
            Directory.CreateDirectory(mountDirectory);
            File.SetUnixFileMode(mountDirectory, Traversable);

            // Next to the runs directory, which holds nothing but runs (docs/engine.md, "On-disk layout"). The wrapper
            // opens the program as host root, so it may stay in the data directory.
            var shared = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(runsDirectory)!, "sandbox")).FullName;
            var seccomp = _options.UseSeccomp ? Path.Combine(shared, "seccomp.bpf") : null;
            if (seccomp is not null)
            {
                WriteShared(seccomp, CompileSeccomp(shared));
            }

            var empty = Path.Combine(mountRoot, "empty");
            WriteShared(empty, []);
            prepared = new RunsDirectorySetup(seccomp, mountDirectory, empty);
            _preparedRunsDirectories[runsDirectory] = prepared;
            return prepared;
        }
    }

    /// <summary>
    /// The mount directory of <paramref name="runsDirectory"/>: named by a hash of its path, so every data directory of
    /// the host (and every engine of a test run) has its own, and a run id names one mount point in it.
    /// </summary>
    private string MountDirectoryOf(string runsDirectory)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(runsDirectory).TrimEnd('/')));
        return Path.Combine(Path.GetFullPath(_options.MountRoot), Convert.ToHexStringLower(hash, 0, 8));
    }

    /// <summary>
    /// Creates the mount root, checks that the sandbox's root can reach it (every parent searchable by others) and gives
    /// it private propagation: when the mount holding it propagates to peers (systemd makes "/" and /run shared), run
    /// overlays would appear in other mount namespaces too, so it is bind-mounted onto itself and made private, once for
    /// all engines of the host (under a lock, so two engines starting together do not stack two binds).
    /// </summary>
    private string PrepareMountRoot()
    {
        var mountRoot = Path.GetFullPath(_options.MountRoot).TrimEnd('/');
        Directory.CreateDirectory(mountRoot, Traversable);
        for (var directory = mountRoot; !string.IsNullOrEmpty(directory); directory = Path.GetDirectoryName(directory))
        {
            if ((File.GetUnixFileMode(directory) & UnixFileMode.OtherExecute) == 0)
            {
                throw ContreeException.Unavailable(
                    $"the sandbox mount directory '{mountRoot}' is not reachable by the sandbox's unprivileged host user: '{directory}' "
                    + "lacks search permission for others (chmod o+x it, or set the engine's mount root to a directory under /run)");
            }
        }

        var lockFd = Libc.Open(mountRoot, Libc.O_RDONLY | Libc.O_DIRECTORY | Libc.O_CLOEXEC, 0);
        Libc.CheckIo(lockFd, mountRoot, "open");
        try
        {
            Libc.CheckIo(Libc.Flock(lockFd, Libc.LOCK_EX), mountRoot, "flock");
            var containing = MountInfo.Read()
                .Where(m => mountRoot == m.MountPoint || mountRoot.StartsWith(m.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal))
                .MaxBy(static m => m.MountPoint.Length);
            if (containing is { IsShared: true })
            {
                if (containing.MountPoint != mountRoot)
                {
                    Libc.CheckIo(Libc.Mount(mountRoot, mountRoot, null, Libc.MS_BIND | Libc.MS_REC, null), mountRoot, "bind mount");
                }

                Libc.CheckIo(Libc.Mount(null, mountRoot, null, Libc.MS_PRIVATE | Libc.MS_REC, null), mountRoot, "make private");
                LogMadePrivate(mountRoot);
            }
        }
        finally
        {
            _ = Libc.Close(lockFd);
        }

        return mountRoot;
    }

    private static byte[] CompileSeccomp(string scratchDirectory)
    {
        try
        {
            return SeccompFilter.Compile(scratchDirectory);
        }
        catch (Exception exception) when (exception is DllNotFoundException or EntryPointNotFoundException)
        {
            // No sandbox runs without its filter.
            throw SandboxStartError.Create("libseccomp", "libseccomp2", exception);
        }
    }

    /// <summary>Writes a file the runs share by rename, so a run (of this or another engine) never reads half of it.</summary>
    private static void WriteShared(string path, byte[] content)
    {
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
    }
}
