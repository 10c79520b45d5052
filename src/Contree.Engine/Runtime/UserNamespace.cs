using System.Diagnostics;
using System.Globalization;
using Contree.Core.Errors;
using Contree.Engine.Interop;

namespace Contree.Engine.Runtime;

/// <summary>
/// A user namespace with an identity mapping of the full uid/gid range, created once and reused by every sandbox
/// (bwrap <c>--userns</c>). Root inside keeps uid 0 for file ownership, but its capabilities only reach namespaces
/// owned by this user namespace: no host mounts, devices, modules or global sysctls (user_namespaces(7)).
/// </summary>
internal sealed class UserNamespace : IDisposable
{
    private const string IdentityMap = "0 0 4294967295\n";

    private readonly int _fd;

    private UserNamespace(int fd, string path)
    {
        _fd = fd;
        ReopenPath = path;
    }

    /// <summary>A path that opens this namespace from any process of the host (this process's fd in /proc).</summary>
    public string ReopenPath { get; }

    /// <summary>
    /// Starts <c>unshare --user</c> running a shell that reports readiness, writes the identity maps from outside
    /// (root may map any range, newuidmap is not needed), lets the shell forbid nested user namespaces, opens the
    /// namespace and lets the holder exit.
    /// </summary>
    public static UserNamespace Create(RuntimeOptions options)
    {
        var start = new ProcessStartInfo(options.UnsharePath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        // Once mapped, root of the namespace sets its own user.max_user_namespaces to 0 (a per-namespace limit): no
        // sandbox can create a nested user namespace, even if the seccomp filter were off. The first shell was
        // executed while its uid was unmapped and so holds no capabilities; the one it executes ($0) after the maps
        // are written is root of the namespace with all of them (user_namespaces(7), "Effect of capabilities").
        const string Script = "echo ready; read _; exec \"$0\" -c 'echo 0 > /proc/sys/user/max_user_namespaces && echo limited || echo failed; read _'";
        foreach (var argument in new[] { "--user", "--", options.ShellPath, "-c", Script, options.ShellPath })
        {
            start.ArgumentList.Add(argument);
        }

        using var holder = Process.Start(start) ?? throw ContreeException.Internal($"could not start {options.UnsharePath}");
        try
        {
            var line = holder.StandardOutput.ReadLine();
            if (line != "ready")
            {
                throw ContreeException.Internal($"creating the sandbox user namespace failed: {holder.StandardError.ReadToEnd().Trim()}");
            }

            var proc = string.Create(CultureInfo.InvariantCulture, $"/proc/{holder.Id}");
            File.WriteAllText(proc + "/uid_map", IdentityMap);
            File.WriteAllText(proc + "/gid_map", IdentityMap);
            holder.StandardInput.WriteLine();
            holder.StandardInput.Flush();
            if (holder.StandardOutput.ReadLine() != "limited")
            {
                holder.StandardInput.Close(); // the holder waits on its input; stderr ends only when it exits
                throw ContreeException.Internal($"limiting nested user namespaces in the sandbox user namespace failed: {holder.StandardError.ReadToEnd().Trim()}");
            }

            var fd = Libc.Open(proc + "/ns/user", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            Libc.CheckIo(fd, proc + "/ns/user", "open");
            return new UserNamespace(fd, string.Create(CultureInfo.InvariantCulture, $"/proc/{Environment.ProcessId}/fd/{fd}"));
        }
        finally
        {
            holder.StandardInput.Close();
            if (!holder.WaitForExit(5000))
            {
                holder.Kill();
            }

            // Process.Dispose does not close streams that were read (see BubblewrapRuntime).
            holder.StandardOutput.Dispose();
            holder.StandardError.Dispose();
        }
    }

    public void Dispose() => _ = Libc.Close(_fd);
}
