using System.Diagnostics;
using Contree.Core.Errors;
using Contree.Engine.Runtime.Cgroups;
using Contree.Engine.Runtime.Network;

namespace Contree.Engine.Runtime;

internal sealed partial class BubblewrapRuntime
{
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    /// <summary>The kernel's overlayfs stack limit (OVL_MAX_STACK).</summary>
    private const int MaxLowerDirectories = 500;

    /// <summary>CancellationTokenSource.CancelAfter accepts at most about 49 days.</summary>
    private static readonly TimeSpan MaxTimeout = TimeSpan.FromDays(30);

    private static void Validate(SandboxRequest request)
    {
        if (string.IsNullOrEmpty(request.RunId) || request.RunId.Contains('/', StringComparison.Ordinal) || request.RunId is "." or "..")
        {
            throw ContreeException.InvalidArgument($"run id must be a plain name, got: '{request.RunId}'");
        }

        if (!Directory.Exists(request.RunDirectory))
        {
            throw ContreeException.Internal($"run directory '{request.RunDirectory}' does not exist");
        }

        if (request.LowerDirectories.Count is 0 or > MaxLowerDirectories)
        {
            throw ContreeException.InvalidArgument($"an overlay needs 1 to {MaxLowerDirectories} layers, got {request.LowerDirectories.Count}");
        }

        if (string.IsNullOrEmpty(request.Command))
        {
            throw ContreeException.InvalidArgument("command must not be empty");
        }

        if (request.Timeout <= TimeSpan.Zero || request.Timeout > MaxTimeout)
        {
            throw ContreeException.InvalidArgument($"timeout must be between 0 and {MaxTimeout.TotalDays} days, got {request.Timeout}");
        }

        if (string.IsNullOrEmpty(request.Cwd) || request.Cwd[0] != '/')
        {
            throw ContreeException.InvalidArgument($"cwd must be an absolute path, got: '{request.Cwd}'");
        }

        foreach (var (name, value) in request.Env)
        {
            if (name.Length == 0 || name.Contains('=', StringComparison.Ordinal) || name.Contains('\0', StringComparison.Ordinal) || value.Contains('\0', StringComparison.Ordinal))
            {
                throw ContreeException.InvalidArgument($"invalid environment variable name '{name}': must be non-empty without '=' or NUL");
            }
        }

        foreach (var text in request.Args.Append(request.Command).Append(request.Cwd).Append(request.Hostname))
        {
            if (text.Contains('\0', StringComparison.Ordinal))
            {
                throw ContreeException.InvalidArgument("command, arguments, cwd and hostname must not contain NUL characters");
            }
        }
    }

    private ProcessStartInfo BuildStartInfo(
        SandboxRequest request, string merged, LaunchFiles files, UserNamespace userNamespace, RunCgroup? cgroup, RunNetworkNamespace? network)
    {
        var start = new ProcessStartInfo
        {
            FileName = _options.ShellPath,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // The launch chain (docs/engine.md, "Sandbox lifetime"): the wrapper joins the cgroups and opens fds 3 to 6 as host
        // root; nsenter makes the process root of the outer sandbox user namespace (an unprivileged host id); setpriv
        // arms SIGKILL on the engine's death after that (a change of credentials clears it); unshare makes an outer pid
        // namespace whose init it kills when it dies itself; that init checks the engine still lives and execs bwrap.
        var engine = Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var args = start.ArgumentList;
        Add(args, "-c", WrapperScript, "contree-sandbox", userNamespace.SandboxPath, files.Status, files.LaunchLog, files.Shared.Seccomp ?? string.Empty);
        foreach (var procs in cgroup?.ProcsFiles ?? [])
        {
            args.Add(procs);
        }

        args.Add("--");
        // nsenter joins the run's network namespace (the engine's) before the user namespace, as host root.
        Add(args, _options.NsenterPath, "--user=" + userNamespace.OuterPath);
        if (network is not null)
        {
            args.Add("--net=" + network.Path);
        }

        args.Add("--");
        Add(args, _options.SetprivPath, "--pdeathsig", "KILL", "--");
        Add(args, _options.UnsharePath, "--pid", "--fork", "--kill-child=KILL", "--");
        Add(args, _options.ShellPath, "-c", NamespaceInitScript, "contree-sandbox-init", engine, _options.BubblewrapPath);
        Add(args, "--json-status-fd", "4");
        if (files.Shared.Seccomp is not null)
        {
            // bwrap loads it last, after its setup and with no_new_privs, right before it executes the command.
            Add(args, "--seccomp", "6");
        }

        // Joining the sandbox namespace (a child of the outer one, whose root bwrap is) keeps bwrap's credentials, so
        // the death signals stay armed, and makes bwrap drop the bounding set to the kept capabilities.
        Add(args, "--userns", "3");
        args.Add("--cap-drop");
        args.Add("ALL");
        foreach (var capability in _options.Capabilities)
        {
            args.Add("--cap-add");
            args.Add(capability);
        }

        foreach (var unshare in new[] { "--unshare-ipc", "--unshare-pid", "--unshare-uts", "--unshare-cgroup-try" })
        {
            args.Add(unshare);
        }

        if (request.Network == SandboxNetwork.None)
        {
            args.Add("--unshare-net");
        }

        Add(args, "--bind", merged, "/");
        Add(args, "--proc", "/proc");

        // bwrap 0.8 leaves /proc/sys writable; the host's global sysctls belong to host root, which the sandbox's root is
        // not, but read-only it stays (docs/security.md).
        Add(args, "--ro-bind", "/proc/sys", "/proc/sys");
        AddProcMasks(args, files.Shared.Empty);

        // The host's device nodes, owned by host root: nobody's inside, so the sandbox can use them but not chmod, chown
        // or relabel them (docs/security.md, "Other namespaces and file systems").
        Add(args, "--dev", "/dev");
        Add(args, "--hostname", string.IsNullOrEmpty(request.Hostname) ? "linuxkit" : request.Hostname);
        args.Add("--die-with-parent");

        // The command is pid 1 of the sandbox: bwrap's own reaper there would be a host process the command can reach
        // through /proc/1 (its exe is the host's bwrap binary, which uid 0 inside could chmod, chown and read).
        args.Add("--as-pid-1");
        args.Add("--new-session");
        args.Add("--clearenv");
        foreach (var (name, value) in request.Env)
        {
            Add(args, "--setenv", name, value);
        }

        if (!request.Env.ContainsKey("PATH"))
        {
            Add(args, "--setenv", "PATH", DefaultPath);
        }

        // Clients that honour proxies get the guard's refusals as readable HTTP answers; the others are redirected to it.
        if (request.AllowedHosts is not null)
        {
            foreach (var (name, value) in Network.Egress.EgressGuard.ProxyEnvironment.Where(v => !request.Env.ContainsKey(v.Key)))
            {
                Add(args, "--setenv", name, value);
            }
        }

        Add(args, "--chdir", request.Cwd);
        args.Add("--");
        if (request.Shell)
        {
            Add(args, "/bin/sh", "-c", request.Command);
        }
        else
        {
            args.Add(request.Command);
            foreach (var argument in request.Args)
            {
                args.Add(argument);
            }
        }

        return start;
    }

    private static void Add(System.Collections.ObjectModel.Collection<string> args, params string[] values)
    {
        foreach (var value in values)
        {
            args.Add(value);
        }
    }

    /// <summary>
    /// Hides the /proc files Docker masks and makes read-only the ones it does (docs/security.md, "/proc"): they are
    /// not namespaced, so they show or change the host (the host's keyrings, kernel memory, timers, SysRq).
    /// </summary>
    /// <param name="args">bwrap's arguments.</param>
    /// <param name="empty">An empty regular file (a bound /dev/null would not open: bwrap binds with nodev).</param>
    private static void AddProcMasks(System.Collections.ObjectModel.Collection<string> args, string empty)
    {
        foreach (var file in ProcMasks.HiddenFiles)
        {
            Add(args, "--ro-bind", empty, file);
        }

        foreach (var directory in ProcMasks.HiddenDirectories)
        {
            Add(args, "--tmpfs", directory);
            Add(args, "--remount-ro", directory);
        }

        foreach (var path in ProcMasks.ReadOnly)
        {
            Add(args, "--ro-bind", path, path);
        }
    }
}
