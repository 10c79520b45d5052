using System.Diagnostics;
using Contree.Core.Errors;
using Contree.Core.Models;
using Contree.Engine.Interop;
using Contree.Engine.Runtime.Cgroups;
using Contree.Engine.Runtime.Network;
using Contree.Engine.Runtime.Network.Egress;
using Microsoft.Extensions.Logging;

namespace Contree.Engine.Runtime;

/// <summary>
/// Runs commands in bubblewrap sandboxes on an overlay the engine mounts itself (Debian's bwrap 0.8 has no overlay
/// options; docs/engine.md). Isolation model, limits and what tests verify: docs/security.md.
/// </summary>
internal sealed partial class BubblewrapRuntime : ISandboxRuntime, IDisposable
{
    /// <summary>
    /// The first program of the launch chain, run as host root. Arguments: $1 = the sandbox user namespace, $2 = the
    /// bwrap status file, $3 = the launch log, $4 = the seccomp program or "", then cgroup.procs files, then "--", then
    /// the rest of the chain. Joining the cgroups here limits the sandbox before it can fork; fd 3 is
    /// <c>bwrap --userns 3</c>, fd 4 <c>bwrap --json-status-fd 4</c>, fd 6 <c>bwrap --seccomp 6</c>, all opened while
    /// still host root. Until bwrap, stderr is the launch log (what the chain's own programs say is for the server log,
    /// not the agent) and fd 5 keeps the sandbox's stderr for bwrap.
    /// </summary>
    private const string WrapperScript =
        "exec 5>&2 2>\"$3\" 3<\"$1\" 4>\"$2\"; [ -z \"$4\" ] || exec 6<\"$4\"; shift 4; " +
        "while [ \"$1\" != -- ]; do echo $$ > \"$1\" || { echo \"contree: cannot join cgroup $1\" >&2; exit 125; }; shift; done; shift; " +
        "exec \"$@\"";

    /// <summary>
    /// Pid 1 of the outer pid namespace, armed by <c>unshare --kill-child</c>; when it dies the kernel kills everything
    /// in the namespace, bwrap's own namespaces included. bwrap arms --die-with-parent only after its setup, so this
    /// closes that window. It exits when the engine ($1) died before the death signals were armed (setpriv arms the
    /// first one only after nsenter changed the credentials), then execs bwrap.
    /// </summary>
    private const string NamespaceInitScript =
        "read -r stat < \"/proc/$1/stat\" || exit 125; state=${stat##*) }; " +
        "case ${state%% *} in Z|X) exit 125;; esac; shift; exec \"$@\" 2>&5 5>&-";

    private readonly RuntimeOptions _options;
    private readonly ILogger<BubblewrapRuntime> _logger;
    private readonly Lazy<CgroupManager> _cgroups;
    private readonly Lazy<UserNamespace> _userNamespace;
    private readonly Lazy<NetworkNamespaceFactory> _networks = new(() => new NetworkNamespaceFactory());
    private readonly Lazy<PreparedNetworks> _preparedNetworks;
    private readonly Lock _prepareLock = new();
    private readonly Dictionary<string, RunsDirectorySetup> _preparedRunsDirectories = new(StringComparer.Ordinal);

    public BubblewrapRuntime(RuntimeOptions options, ILogger<BubblewrapRuntime> logger)
    {
        _options = options;
        _logger = logger;
        _cgroups = new Lazy<CgroupManager>(() => CgroupManager.Detect(_options));
        _userNamespace = new Lazy<UserNamespace>(() => UserNamespace.Create(_options));
        _preparedNetworks = new Lazy<PreparedNetworks>(() => new PreparedNetworks(PrepareNetworkAsync));
    }

    /// <summary>The cgroup interface this host offers (detected on first use).</summary>
    internal CgroupManager Cgroups => _cgroups.Value;

    /// <summary>bwrap exits 1 with "bwrap: execvp …" when the command cannot be executed (shell=false with a missing program).</summary>
    private static bool ExecFailed(int exitCode, ReadOnlySpan<byte> stderr) =>
        exitCode == 1 && stderr.StartsWith("bwrap: execvp "u8);

    public async Task<SandboxResult> RunAsync(SandboxRequest request, CancellationToken cancellationToken = default)
    {
        // Before anything is mounted or created: as a normal user the first mount would fail with a bare EPERM.
        if (!Environment.IsPrivilegedProcess)
        {
            throw ContreeException.Unavailable(Diagnostics.EngineDiagnostics.NotRootMessage);
        }

        Validate(request);
        cancellationToken.ThrowIfCancellationRequested();
        var scratch = request.DiskLimitBytes > 0 ? ScratchDisk.Mount(request.RunDirectory, request.DiskLimitBytes) : request.RunDirectory;
        var upper = Path.Combine(scratch, "upper");
        var work = Path.Combine(scratch, "work");
        var merged = MountPointOf(request);
        Directory.CreateDirectory(upper);
        Directory.CreateDirectory(work);

        var stopwatch = Stopwatch.StartNew();
        var mounted = false;
        RunCgroup? cgroup = null;
        Process? process = null;
        LaunchFiles? files = null;
        PreparedNetwork? network = null;
        EgressGuard? guard = null;
        NetworkFiles.Injected? networkFiles = null;
        SandboxResult result;
        try
        {
            files = LaunchFiles.In(request.RunDirectory, PrepareRunsDirectory(RunsDirectoryOf(request)));
            Directory.CreateDirectory(merged);
            MatchImageRoot(upper, request.LowerDirectories);
            OverlayMount.Mount(request.LowerDirectories, upper, work, merged, request.DiscardUpper);
            mounted = true;
            FileInjector.Inject(merged, request.Files);
            FileInjector.EnsureDirectory(merged, request.Cwd);
            var userNamespace = _userNamespace.Value;
            cgroup = _cgroups.Value.Create(request.RunId, request.Limits);

            EnsureLaunchProgramsPresent();
            if (request.Network == SandboxNetwork.Internet)
            {
                EnsureNetworkProgramsPresent();
                network = await _preparedNetworks.Value.TakeAsync(cancellationToken);
                if (request.AllowedHosts is { } allowedHosts)
                {
                    guard = await EgressGuard.StartAsync(_networks.Value, network.Namespace, allowedHosts, request.RunId, _logger);
                }
            }

            if (request.Network != SandboxNetwork.None)
            {
                networkFiles = NetworkFiles.Inject(merged, upper, request.RunDirectory, request.Hostname, ResolvConf(request.Network, guard is not null));
            }

            var start = BuildStartInfo(request, merged, files, userNamespace, cgroup, network?.Namespace);
            try
            {
                process = await SandboxLauncher.StartAsync(start);
            }
            catch (System.ComponentModel.Win32Exception exception)
            {
                throw SandboxStartError.Create("a POSIX shell (sh)", "dash", new IOException($"could not start {start.FileName}", exception));
            }

            LogStarted(request.RunId, process.Id);
            using var stdout = new OutputCapture(request.TruncateOutputAt, request.StdoutSpillPath);
            using var stderr = new OutputCapture(request.TruncateOutputAt, request.StderrSpillPath);
            var drainOut = stdout.DrainAsync(process.StandardOutput.BaseStream, CancellationToken.None);
            var drainErr = stderr.DrainAsync(process.StandardError.BaseStream, guard is null ? null : guard.RefusalNotice, CancellationToken.None);
            var feed = FeedStdinAsync(process.StandardInput.BaseStream, request.Stdin, CancellationToken.None);

            var timeLimitFired = false;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(request.Timeout);
                try
                {
                    await process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    timeLimitFired = !cancellationToken.IsCancellationRequested;
                    KillSandbox(process, cgroup);
                    await process.WaitForExitAsync(CancellationToken.None);
                }
            }

            // The pid namespace dies with bwrap, so every writer of the pipes is gone and the drains reach EOF.
            await Task.WhenAll(drainOut, drainErr, feed);
            cancellationToken.ThrowIfCancellationRequested();

            var usage = cgroup?.ReadUsage();
            var stderrBytes = stderr.ToResult().Head;
            var bwrap = BwrapStatus.Read(files.Status);
            var launchLog = LaunchLog.Read(files.LaunchLog);
            if (launchLog.Length > 0)
            {
                LogLaunchChainSaid(request.RunId, process.ExitCode, launchLog);
            }

            if (!bwrap.Started && !timeLimitFired && launchLog.Length > 0 && usage is not { OomKilled: true })
            {
                // The chain failed before bwrap set the sandbox up: nothing the command did, nothing the agent can fix.
                throw ContreeException.Internal($"sandbox for run {request.RunId} did not start", new IOException($"launch chain exited {process.ExitCode}: {launchLog}"));
            }

            var state = SandboxEnd.Decide(bwrap, process.ExitCode, timeLimitFired, usage, ExecFailed(bwrap.ExitCode ?? process.ExitCode, stderrBytes), process.Id);
            if (state.TimedOut)
            {
                LogTimedOut(request.RunId, request.Timeout.TotalSeconds);
            }

            result = new SandboxResult
            {
                State = state,
                Resources = new ConsumedResources
                {
                    ElapsedTime = stopwatch.Elapsed.TotalSeconds,
                    UserCpuTime = usage?.UserSeconds ?? -1,
                    SystemCpuTime = usage?.SystemSeconds ?? -1,
                    MaxRss = usage?.PeakMemoryKiB ?? -1,
                },
                Stdout = stdout.ToResult(),
                Stderr = stderr.ToResult(),
                UpperDirectory = upper,
                FilesystemChanged = false,
            };
        }
        catch (IOException exception)
        {
            throw ContreeException.Internal($"sandbox setup for run {request.RunId} failed", exception);
        }
        finally
        {
            try
            {
                if (process is not null)
                {
                    Release(process, cgroup);
                }
            }
            finally
            {
                // Also when ending the process failed: a mount or cgroup left behind outlives the server.
                Cleanup(request.RunId, cgroup, mounted, merged, work);
                foreach (var file in files?.All ?? [])
                {
                    DeleteRunFile(file);
                }

                if (guard is not null)
                {
                    await guard.DisposeAsync();
                }

                network?.Dispose();
            }
        }

        // With the overlay unmounted: the upper may be changed again.
        if (networkFiles is not null)
        {
            NetworkFiles.Revert(networkFiles);
        }

        return result with { FilesystemChanged = Directory.EnumerateFileSystemEntries(upper).Any() };
    }

    /// <summary>A network namespace with its rules and slirp4netns attached, for an <c>internet</c> run.</summary>
    private async Task<PreparedNetwork> PrepareNetworkAsync(CancellationToken cancellationToken)
    {
        var network = await _networks.Value.CreateAsync([.. _options.DeniedNetworks], EgressNamespacePath);
        try
        {
            return new PreparedNetwork(network, await SlirpProcess.StartAsync(_options, network, cancellationToken));
        }
        catch
        {
            network.Dispose();
            throw;
        }
    }

    private string? EgressNamespacePath => _options.EgressNetworkNamespace is { } name ? Path.Combine("/run/netns", name) : null;

    /// <summary>
    /// The run's <see cref="EgressGuard"/> when it has allowed hosts, else slirp4netns' forwarder for <c>internet</c>
    /// runs; the host's own resolvers when the run shares its network.
    /// </summary>
    private static string ResolvConf(SandboxNetwork network, bool guarded) =>
        guarded ? $"nameserver {EgressGuard.Address}\n"
        : network == SandboxNetwork.Internet ? $"nameserver {EgressRules.DnsAddress}\n"
        : File.Exists("/etc/resolv.conf") ? File.ReadAllText("/etc/resolv.conf")
        : string.Empty;

    public void DeleteRunDirectory(string runDirectory)
    {
        ScratchDisk.Unmount(runDirectory);
        Storage.LayerStore.DeleteTree(runDirectory);
    }

    public void CleanupStale(string runsDirectory)
    {
        var root = Path.GetFullPath(runsDirectory).TrimEnd('/');
        var mountDirectory = MountDirectoryOf(root);

        // Below the runs directory too: engines before the sandbox id range mounted run overlays there.
        var mounts = MountInfo.Read()
            .Where(m => m.MountPoint.StartsWith(root + "/", StringComparison.Ordinal) || m.MountPoint.StartsWith(mountDirectory + "/", StringComparison.Ordinal))
            .Select(static m => m.MountPoint)
            .OrderByDescending(static m => m.Length)
            .ToList();
        foreach (var mountPoint in mounts)
        {
            OverlayMount.Unmount(mountPoint);
        }

        // By cgroup, not by run directory: a run whose directory is gone may still have left its cgroup behind.
        var cgroups = _cgroups.Value.CleanupStale();
        var runDirectories = Directory.Exists(root) ? Directory.GetDirectories(root) : [];
        foreach (var directory in runDirectories.Concat(Directory.Exists(mountDirectory) ? Directory.GetDirectories(mountDirectory) : []))
        {
            Directory.Delete(directory, recursive: true);
        }

        LogStaleCleaned(root, mounts.Count, cgroups, runDirectories.Length);
    }

    /// <summary>Where the overlay of <paramref name="request"/> is mounted while it runs.</summary>
    internal string MountPointOf(SandboxRequest request) => Path.Combine(MountDirectoryOf(RunsDirectoryOf(request)), request.RunId);

    private static string RunsDirectoryOf(SandboxRequest request) => Path.GetDirectoryName(Path.GetFullPath(request.RunDirectory).TrimEnd('/'))!;

    public void Dispose()
    {
        if (_preparedNetworks.IsValueCreated)
        {
            _preparedNetworks.Value.Dispose();
        }

        if (_networks.IsValueCreated)
        {
            _networks.Value.Dispose();
        }

        if (_userNamespace.IsValueCreated)
        {
            _userNamespace.Value.Dispose();
        }

        if (_cgroups.IsValueCreated)
        {
            _cgroups.Value.RemoveEmptyBase();
        }

        lock (_prepareLock)
        {
            foreach (var setup in _preparedRunsDirectories.Values)
            {
                try
                {
                    Directory.Delete(setup.MountDirectory);
                }
                catch (IOException)
                {
                    // Not empty: a run still mounted there, or another engine of the same data directory uses it.
                }
            }
        }
    }

    /// <summary>
    /// Checks that every program of the launch chain is there and executable: further down the chain a missing one
    /// would look like the command's own exit code 127 (or 126).
    /// </summary>
    private void EnsureLaunchProgramsPresent() => EnsurePresent(RequiredPrograms.Launch(_options));

    /// <summary>An <c>internet</c> run needs slirp4netns and libnftables; without them it is refused naming the package.</summary>
    private void EnsureNetworkProgramsPresent()
    {
        EnsurePresent(RequiredPrograms.Network(_options));
        if (!RequiredPrograms.CanLoad(Interop.Nftables.Library))
        {
            throw SandboxStartError.Create(
                "libnftables (the network rules of internet runs; network=\"none\" needs none)", "libnftables1",
                new DllNotFoundException($"{Interop.Nftables.Library} could not be loaded"));
        }
    }

    private static void EnsurePresent(IReadOnlyList<RequiredProgram> programs)
    {
        foreach (var program in programs.Where(static p => !RequiredPrograms.IsExecutable(p.Path)))
        {
            throw SandboxStartError.Create(program.Name, program.Package, new FileNotFoundException($"{program.Name} is missing or not executable at '{program.Path}'", program.Path));
        }
    }

    private void DeleteRunFile(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (IOException exception)
        {
            LogCleanupFailed(exception, path);
        }
    }

    private static async Task FeedStdinAsync(Stream stdin, ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken = default)
    {
        try
        {
            if (!bytes.IsEmpty)
            {
                await stdin.WriteAsync(bytes, cancellationToken);
            }
        }
        catch (IOException)
        {
            // The command exited without reading all of its input: not an error of the run.
        }
        finally
        {
            try
            {
                await stdin.DisposeAsync();
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>
    /// Gives the upper directory the owner and mode of the image's root: overlayfs shows the upper's root attributes as
    /// the sandbox's "/", and a host-root-owned one would be nobody's inside, unwritable for the sandbox's root.
    /// </summary>
    private static void MatchImageRoot(string upper, IReadOnlyList<string> lowerDirectories)
    {
        uint uid = Storage.SandboxIds.ToHost(0), gid = Storage.SandboxIds.ToHost(0);
        var mode = (UnixFileMode)0b111_101_101;
        if (Inspect.HostFs.TryLstat(lowerDirectories[0], out var root))
        {
            (uid, gid, mode) = ((uint)root.Uid, (uint)root.Gid, (UnixFileMode)root.Permissions);
        }

        Libc.CheckIo(Libc.Lchown(upper, uid, gid), upper, "lchown");
        File.SetUnixFileMode(upper, mode);
    }

    /// <summary>Ends the sandbox if it still runs and closes every descriptor the run holds for it.</summary>
    private void Release(Process process, RunCgroup? cgroup)
    {
        if (!process.HasExited)
        {
            KillSandbox(process, cgroup);
            process.WaitForExit();
        }

        // Process.Dispose leaves streams the caller has touched to their finalizers, which would keep three pipe
        // descriptors per run open until the next garbage collection. Stdin's writer is bypassed: its Dispose
        // flushes into a stream FeedStdinAsync may already have closed.
        process.StandardOutput.Dispose();
        process.StandardError.Dispose();
        process.StandardInput.BaseStream.Dispose();
        process.Dispose();
    }

    private void KillSandbox(Process process, RunCgroup? cgroup)
    {
        try
        {
            cgroup?.Kill();
        }
        catch (IOException exception)
        {
            LogCleanupFailed(exception, "cgroup kill");
        }

        // bwrap's --die-with-parent chain and the pid namespace take the rest of the tree down with it.
        try
        {
            process.Kill(entireProcessTree: false);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }
    }

    private void Cleanup(string runId, RunCgroup? cgroup, bool mounted, string merged, string work)
    {
        try
        {
            cgroup?.Dispose();
        }
        catch (Exception exception) when (exception is IOException or AggregateException)
        {
            LogCleanupFailed(exception, "cgroup " + runId);
        }

        if (mounted)
        {
            try
            {
                OverlayMount.Unmount(merged);
            }
            catch (ContreeException exception)
            {
                // Leaves merged in place; CleanupStale detaches it at the next engine start.
                LogCleanupFailed(exception, merged);
                return;
            }
        }

        foreach (var directory in new[] { merged, work })
        {
            try
            {
                if (Directory.Exists(directory))
                {
                    Directory.Delete(directory, recursive: true);
                }
            }
            catch (IOException exception)
            {
                LogCleanupFailed(exception, directory);
            }
        }
    }
}
