using Contree.Engine.Interop;
using Contree.Engine.Runtime.Seccomp;

namespace Contree.Engine.Runtime;

internal sealed partial class BubblewrapRuntime
{
    /// <summary>
    /// Prepares a runs directory once per engine: private mount propagation, the seccomp program and the empty file the
    /// runs share, and whether runs can have their own device nodes. A failure is not remembered: the next run retries.
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
            EnsurePrivatePropagation(runsDirectory);

            // Next to the runs directory, which holds nothing but runs (docs/engine.md, "On-disk layout").
            var shared = Directory.CreateDirectory(Path.Combine(Path.GetDirectoryName(runsDirectory)!, "sandbox")).FullName;
            var seccomp = _options.UseSeccomp ? Path.Combine(shared, "seccomp.bpf") : null;
            if (seccomp is not null)
            {
                WriteShared(seccomp, CompileSeccomp(shared));
            }

            var empty = Path.Combine(shared, "empty");
            WriteShared(empty, []);
            prepared = new RunsDirectorySetup(seccomp, empty, DevicesAllowed(runsDirectory));
            _preparedRunsDirectories[runsDirectory] = prepared;
            return prepared;
        }
    }

    /// <summary>
    /// When the mount holding the runs directory propagates to peers (systemd makes "/" shared), overlay mounts would
    /// appear in other mount namespaces too; then the data directory (parent of the runs directory, so run uppers and
    /// layers stay on one mount and commits remain renames) is bind-mounted onto itself and made private.
    /// </summary>
    private void EnsurePrivatePropagation(string runsDirectory)
    {
        var containing = MountInfo.Read()
            .Where(m => runsDirectory == m.MountPoint || runsDirectory.StartsWith(m.MountPoint.TrimEnd('/') + "/", StringComparison.Ordinal))
            .MaxBy(static m => m.MountPoint.Length);
        if (containing is { IsShared: true })
        {
            var dataDirectory = Path.GetDirectoryName(runsDirectory) ?? runsDirectory;
            if (containing.MountPoint != dataDirectory)
            {
                Libc.CheckIo(Libc.Mount(dataDirectory, dataDirectory, null, Libc.MS_BIND | Libc.MS_REC, null), dataDirectory, "bind mount");
            }

            Libc.CheckIo(Libc.Mount(null, dataDirectory, null, Libc.MS_PRIVATE | Libc.MS_REC, null), dataDirectory, "make private");
            LogMadePrivate(dataDirectory);
        }
    }

    /// <summary>Whether a device node made in <paramref name="runsDirectory"/> can be opened (checked with a probe node).</summary>
    private bool DevicesAllowed(string runsDirectory)
    {
        var probe = new DeviceNode(Path.Combine(runsDirectory, $".dev-probe-{Environment.ProcessId}"), "/dev/null", 1, 3);
        try
        {
            File.Delete(probe.Path);
            probe.Create();
            var fd = Libc.Open(probe.Path, Libc.O_WRONLY | Libc.O_CLOEXEC, 0);
            if (fd < 0)
            {
                LogDevicesNotAllowed(runsDirectory);
                return false;
            }

            _ = Libc.Close(fd);
            return true;
        }
        catch (IOException exception)
        {
            // mknod refused (no CAP_MKNOD): the same fallback.
            LogDevicesNotCreated(exception, runsDirectory);
            return false;
        }
        finally
        {
            File.Delete(probe.Path);
        }
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
