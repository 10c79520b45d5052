using System.Diagnostics;
using System.Globalization;
using Contree.Core.Errors;
using Contree.Engine.Runtime;
using Contree.Engine.Runtime.Cgroups;
using Contree.Engine.Storage;

namespace Contree.Engine.Diagnostics;

/// <summary>
/// What the local engine needs from this machine and this account, checked the way the engine itself uses it
/// (<c>contree-mcp doctor</c>, docs/install.md): the kernel, the identity, user namespaces, overlayfs, bubblewrap and
/// util-linux, libseccomp, cgroups, the sandbox id range, the network helpers and the data directory.
/// </summary>
public static class EngineDiagnostics
{
    /// <summary>
    /// The message a run gets from an engine that is not root: runs need root for now (docs/install.md), everything
    /// else (import, list, inspect) works as any user.
    /// </summary>
    public const string NotRootMessage =
        "the local engine runs sandboxes as root only for now: this server runs as a normal user, so it cannot mount a run's "
        + "overlay, create its cgroups or use the sandbox id range. Start contree-mcp as root, or use the cloud backend "
        + "(--backend cloud with a token); images can be imported, listed and inspected meanwhile. 'contree-mcp doctor' lists what this machine has";

    private static readonly Version FsopenKernel = new(5, 2);

    public static IReadOnlyList<EngineCheck> Run(string dataDirectory, string? egressNetworkNamespace = null)
    {
        var options = new RuntimeOptions { EgressNetworkNamespace = egressNetworkNamespace };
        var root = Environment.IsPrivilegedProcess;
        return
        [
            Kernel(),
            Identity(root),
            UserNamespaces(),
            Overlay(),
            .. LaunchPrograms(options),
            Library("seccomp", Interop.Seccomp.Library, "libseccomp2", "the sandbox's system call filter"),
            Cgroups(options, root),
            SandboxIdRange(root),
            Network(options),
            Uidmap(),
            DataDirectory(dataDirectory),
        ];
    }

    private static EngineCheck Kernel()
    {
        var release = ReadFirstLine("/proc/sys/kernel/osrelease") ?? Environment.OSVersion.VersionString;
        var numbers = release.Split('.', '-');
        var version = numbers.Length >= 2 && int.TryParse(numbers[0], CultureInfo.InvariantCulture, out var major) && int.TryParse(numbers[1], CultureInfo.InvariantCulture, out var minor)
            ? new Version(major, minor)
            : null;
        return version is null || version >= FsopenKernel
            ? new EngineCheck("kernel", EngineCheckStatus.Ok, $"Linux {release}")
            : new EngineCheck("kernel", EngineCheckStatus.Warning, $"Linux {release}: before 5.2 overlays are mounted with mount(2), so very deep images need squashing", "a kernel from 5.2 on (Debian 12 ships 6.1)");
    }

    private static EngineCheck Identity(bool root) => root
        ? new EngineCheck("identity", EngineCheckStatus.Ok, "root: sandboxes run as host ids 0x70000000 and up")
        : new EngineCheck("identity", EngineCheckStatus.Failed, $"runs as {Environment.UserName}, not root: runs are refused (the rootless mode is planned)", "start contree-mcp as root, or use the cloud backend (--backend cloud with a token)");

    private static EngineCheck UserNamespaces()
    {
        var max = ReadFirstLine("/proc/sys/user/max_user_namespaces");
        return max is null || !long.TryParse(max, CultureInfo.InvariantCulture, out var count) || count > 0
            ? new EngineCheck("user namespaces", EngineCheckStatus.Ok, max is null ? "no limit file (assumed available)" : $"user.max_user_namespaces = {max}")
            : new EngineCheck("user namespaces", EngineCheckStatus.Failed, "user.max_user_namespaces = 0: no sandbox can start", "sysctl -w user.max_user_namespaces=15000 (and in /etc/sysctl.d)");
    }

    private static EngineCheck Overlay()
    {
        var filesystems = File.Exists("/proc/filesystems") ? File.ReadAllText("/proc/filesystems") : "";
        if (filesystems.Contains("\toverlay\n", StringComparison.Ordinal))
        {
            return new EngineCheck("overlayfs", EngineCheckStatus.Ok, "in the kernel");
        }

        var module = Path.Combine("/lib/modules", ReadFirstLine("/proc/sys/kernel/osrelease") ?? "", "kernel/fs/overlayfs");
        return Directory.Exists(module)
            ? new EngineCheck("overlayfs", EngineCheckStatus.Ok, "a module, loaded at the first mount")
            : new EngineCheck("overlayfs", EngineCheckStatus.Failed, "neither in the kernel nor as a module", "a kernel with CONFIG_OVERLAY_FS");
    }

    /// <summary>One row per package of the launch chain (<see cref="RequiredPrograms.Launch"/>), bubblewrap with its version.</summary>
    private static IEnumerable<EngineCheck> LaunchPrograms(RuntimeOptions options) =>
        RequiredPrograms.Launch(options).GroupBy(static p => p.Package).Select(static package =>
        {
            var missing = package.Where(static p => !RequiredPrograms.IsExecutable(p.Path)).Select(static p => p.Path).ToList();
            var paths = package.Select(static p => p.Path).ToList();
            return missing.Count > 0
                ? new EngineCheck(package.Key, EngineCheckStatus.Failed, $"missing: {string.Join(", ", missing)}", $"apt-get install {package.Key}")
                : new EngineCheck(package.Key, EngineCheckStatus.Ok, package.Key == "bubblewrap" ? Version(paths[0]) : string.Join(", ", paths));
        });

    private static EngineCheck Library(string name, string library, string package, string purpose) =>
        RequiredPrograms.CanLoad(library)
            ? new EngineCheck(name, EngineCheckStatus.Ok, $"{library} ({purpose})")
            : new EngineCheck(name, EngineCheckStatus.Failed, $"{library} cannot be loaded", $"apt-get install {package}");

    private static EngineCheck Cgroups(RuntimeOptions options, bool root)
    {
        var manager = CgroupManager.Detect(options);
        var controllers = string.Join(", ", manager.Hierarchies.SelectMany(static h => h.Controllers).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal));
        return manager.Version switch
        {
            CgroupVersion.None => new EngineCheck("cgroups", EngineCheckStatus.Warning, "no usable memory controller: runs get only the time limit, no memory, pids or CPU limits", "a kernel with the memory and pids controllers (cgroup v2, or v1 hierarchies)"),
            _ when !root => new EngineCheck("cgroups", EngineCheckStatus.Warning, $"{VersionName(manager.Version)}: {controllers}, but only root may create the engine's cgroups here"),
            _ => new EngineCheck("cgroups", EngineCheckStatus.Ok, $"{VersionName(manager.Version)}: {controllers}"),
        };
    }

    private static string VersionName(CgroupVersion version) => version == CgroupVersion.V2 ? "v2" : "v1";

    private static EngineCheck SandboxIdRange(bool root)
    {
        try
        {
            SandboxIds.CheckHost();
            return new EngineCheck("sandbox ids", EngineCheckStatus.Ok, string.Create(CultureInfo.InvariantCulture, $"0x{SandboxIds.Base:x}-0x{SandboxIds.Base + SandboxIds.Count - 1:x} owned by no user, group or subordinate range"));
        }
        catch (ContreeException exception)
        {
            return new EngineCheck("sandbox ids", root ? EngineCheckStatus.Failed : EngineCheckStatus.Warning, exception.Message, "move that user, group or subordinate range elsewhere (docs/security.md)");
        }
    }

    private static EngineCheck Network(RuntimeOptions options)
    {
        var missing = RequiredPrograms.Network(options).Where(static p => !RequiredPrograms.IsExecutable(p.Path)).Select(static p => p.Package).ToList();
        if (!RequiredPrograms.CanLoad(Interop.Nftables.Library))
        {
            missing.Add("libnftables1");
        }

        return missing.Count == 0
            ? new EngineCheck("network", EngineCheckStatus.Ok, "slirp4netns and libnftables: internet and allowed_hosts runs work")
            : new EngineCheck("network", EngineCheckStatus.Warning, $"internet runs are refused (network none works): missing {string.Join(", ", missing)}", $"apt-get install {string.Join(' ', missing)}");
    }

    /// <summary>Only the planned rootless mode needs newuidmap/newgidmap; the root engine writes its maps itself.</summary>
    private static EngineCheck Uidmap() =>
        new("uidmap", EngineCheckStatus.Ok, RequiredPrograms.IsExecutable("/usr/bin/newuidmap") && RequiredPrograms.IsExecutable("/usr/bin/newgidmap")
            ? "newuidmap and newgidmap (for the planned rootless mode)"
            : "not installed; only the planned rootless mode needs it (apt-get install uidmap)");

    private static EngineCheck DataDirectory(string dataDirectory)
    {
        try
        {
            Directory.CreateDirectory(dataDirectory);
            var probe = Path.Combine(dataDirectory, $".doctor-{Environment.ProcessId}");
            File.WriteAllText(probe, "");
            File.Delete(probe);
            return new EngineCheck("data directory", EngineCheckStatus.Ok, $"{dataDirectory} (writable)");
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return new EngineCheck("data directory", EngineCheckStatus.Failed, $"{dataDirectory} is not writable: {exception.Message}", "choose another with --data-dir, or fix its owner");
        }
    }

    /// <summary>The program's path with what <c>--version</c> prints.</summary>
    private static string Version(string program)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo(program, "--version") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false });
            var output = process?.StandardOutput.ReadToEnd().Trim();
            process?.WaitForExit();
            return string.IsNullOrEmpty(output) ? program : $"{program} ({output})";
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return program;
        }
    }

    private static string? ReadFirstLine(string path)
    {
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
    }
}
