using System.Diagnostics;
using System.Globalization;
using Contree.Core.Errors;
using Contree.Engine.Interop;
using Contree.Engine.Storage;

namespace Contree.Engine.Runtime;

/// <summary>
/// The two user namespaces every sandbox runs in, created once per engine (docs/engine.md, "Sandbox identity"):
/// <list type="bullet">
/// <item>the <b>outer</b> one maps ids 0 to 65535 to the host ids of <see cref="SandboxIds"/>, so root inside is an
/// unprivileged id outside; the launch chain enters it with nsenter and becomes its root before bwrap starts;</item>
/// <item>the <b>sandbox</b> one, a child of the outer one with the identity map of those 65,536 ids, is the one bwrap
/// joins (<c>--userns</c>): joining it makes bwrap drop the capability bounding set to the kept capabilities, and the
/// sandbox sees <c>0 0 65536</c>, not the host range. Nested user namespaces are forbidden in it.</item>
/// </list>
/// Root inside holds capabilities only over namespaces these own: no host mounts, devices, modules, keyrings or global
/// sysctls, and no DAC override on host files, whose owners are unmapped there (user_namespaces(7)).
/// </summary>
internal sealed class UserNamespace : IDisposable
{
    private static readonly string SandboxMap = string.Create(CultureInfo.InvariantCulture, $"0 0 {SandboxIds.Count}\n");

    private readonly int _outerFd;
    private readonly int _sandboxFd;

    private UserNamespace(int outerFd, int sandboxFd)
    {
        _outerFd = outerFd;
        _sandboxFd = sandboxFd;
    }

    /// <summary>Opens the outer namespace from any process of the host (this process's fd in /proc); nsenter's argument.</summary>
    public string OuterPath => FdPath(_outerFd);

    /// <summary>Opens the sandbox namespace from any process of the host; the chain opens it as bwrap's fd 3.</summary>
    public string SandboxPath => FdPath(_sandboxFd);

    /// <summary>
    /// Creates both namespaces with holder processes that wait on their stdin, writes their maps (the outer one from the
    /// host, as root may map any range; the sandbox one from inside the outer one, the only place allowed to), forbids
    /// nested namespaces in the sandbox one, opens both and lets the holders exit.
    /// </summary>
    public static UserNamespace Create(RuntimeOptions options)
    {
        SandboxIds.CheckHost();
        int outerFd = -1, sandboxFd = -1;
        try
        {
            using (var outer = Holder.Start(options.UnsharePath, ["--user", "--", options.ShellPath, "-c", "echo ready; read _"]))
            {
                File.WriteAllText(outer.Proc + "/uid_map", SandboxIds.Map);
                File.WriteAllText(outer.Proc + "/gid_map", SandboxIds.Map);
                outerFd = OpenNamespace(outer.Proc);
            }

            var outerPath = FdPath(outerFd);

            // Root of the sandbox namespace sets its own user.max_user_namespaces to 0 (a per-namespace limit): no sandbox
            // can create a nested user namespace, even with the seccomp filter off. The first shell was executed while
            // its uid was unmapped and so holds no capabilities; the one it executes ($0) once the maps are written is
            // root of the namespace with all of them (user_namespaces(7), "Effect of capabilities").
            const string Script = "echo ready; read _; exec \"$0\" -c 'echo 0 > /proc/sys/user/max_user_namespaces && echo limited || echo failed; read _'";
            using (var sandbox = Holder.Start(options.NsenterPath, ["--user=" + outerPath, "--", options.UnsharePath, "--user", "--", options.ShellPath, "-c", Script, options.ShellPath]))
            {
                WriteMapsFromOuter(options, outerPath, sandbox.Proc);
                sandbox.Continue("limited", "limiting nested user namespaces in the sandbox user namespace");
                sandboxFd = OpenNamespace(sandbox.Proc);
            }

            return new UserNamespace(outerFd, sandboxFd);
        }
        catch
        {
            CloseIfOpen(outerFd);
            CloseIfOpen(sandboxFd);
            throw;
        }
    }

    public void Dispose()
    {
        _ = Libc.Close(_outerFd);
        _ = Libc.Close(_sandboxFd);
    }

    private static string FdPath(int fd) => string.Create(CultureInfo.InvariantCulture, $"/proc/{Environment.ProcessId}/fd/{fd}");

    private static void CloseIfOpen(int fd)
    {
        if (fd >= 0)
        {
            _ = Libc.Close(fd);
        }
    }

    private static int OpenNamespace(string proc)
    {
        var fd = Libc.Open(proc + "/ns/user", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        Libc.CheckIo(fd, proc + "/ns/user", "open");
        return fd;
    }

    /// <summary>
    /// Only a process in the parent namespace may write a namespace's maps (user_namespaces(7), "Defining user and group
    /// ID mappings"), so root of the outer namespace writes the sandbox namespace's.
    /// </summary>
    private static void WriteMapsFromOuter(RuntimeOptions options, string outerPath, string proc)
    {
        var script = $"printf '{SandboxMap.TrimEnd()}\\n' > {proc}/uid_map && printf '{SandboxMap.TrimEnd()}\\n' > {proc}/gid_map";
        var start = new ProcessStartInfo(options.NsenterPath) { RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in new[] { "--user=" + outerPath, "--", options.ShellPath, "-c", script })
        {
            start.ArgumentList.Add(argument);
        }

        using var writer = Process.Start(start) ?? throw ContreeException.Internal($"could not start {options.NsenterPath}");
        var error = writer.StandardError.ReadToEnd().Trim();
        writer.WaitForExit();
        if (writer.ExitCode != 0)
        {
            throw ContreeException.Internal($"writing the id maps of the sandbox user namespace failed: {error}");
        }
    }

    /// <summary>A process that holds a new user namespace open until its stdin closes.</summary>
    private sealed class Holder : IDisposable
    {
        private readonly Process _process;

        private Holder(Process process, string proc)
        {
            _process = process;
            Proc = proc;
        }

        /// <summary>The holder's directory in /proc (the last process of the chain that made the namespace).</summary>
        public string Proc { get; }

        public static Holder Start(string program, IEnumerable<string> arguments)
        {
            var start = new ProcessStartInfo(program)
            {
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var argument in arguments)
            {
                start.ArgumentList.Add(argument);
            }

            var process = Process.Start(start) ?? throw ContreeException.Internal($"could not start {program}");
            var holder = new Holder(process, string.Create(CultureInfo.InvariantCulture, $"/proc/{process.Id}"));
            if (process.StandardOutput.ReadLine() != "ready")
            {
                process.StandardInput.Close();
                var error = process.StandardError.ReadToEnd().Trim();
                holder.Dispose();
                throw ContreeException.Internal($"creating a sandbox user namespace with {program} failed: {error}");
            }

            return holder;
        }

        /// <summary>Lets the holder go on and expects <paramref name="line"/> from it.</summary>
        public void Continue(string line, string what)
        {
            _process.StandardInput.WriteLine();
            _process.StandardInput.Flush();
            if (_process.StandardOutput.ReadLine() != line)
            {
                _process.StandardInput.Close(); // the holder waits on its input; stderr ends only when it exits
                throw ContreeException.Internal($"{what} failed: {_process.StandardError.ReadToEnd().Trim()}");
            }
        }

        public void Dispose()
        {
            _process.StandardInput.Close();
            if (!_process.WaitForExit(5000))
            {
                _process.Kill();
            }

            // Process.Dispose does not close streams that were read (see BubblewrapRuntime).
            _process.StandardOutput.Dispose();
            _process.StandardError.Dispose();
            _process.Dispose();
        }
    }
}
