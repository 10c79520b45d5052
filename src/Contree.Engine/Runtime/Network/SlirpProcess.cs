using System.Diagnostics;
using Contree.Core.Errors;

namespace Contree.Engine.Runtime.Network;

/// <summary>
/// The user-mode network stack of one <c>internet</c> run: slirp4netns(1) attached to the run's namespace as <c>tap0</c>
/// (10.0.2.100/24, gateway 10.0.2.2, DNS 10.0.2.3), its connections made from the egress namespace. It runs as host root
/// only for its setup: <c>--enable-sandbox</c> drops every capability and pivots into an empty root, and
/// <c>--enable-seccomp</c> confines it. Its stdin is the exit descriptor: it ends when the run releases it or the engine dies.
/// </summary>
internal sealed class SlirpProcess : IDisposable
{
    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;

    private SlirpProcess(Process process) => _process = process;

    /// <summary>False once it exited (it would have nothing to serve).</summary>
    public bool IsRunning
    {
        get
        {
            try
            {
                return !_process.HasExited;
            }
            catch (InvalidOperationException)
            {
                return false;
            }
        }
    }

    public static async Task<SlirpProcess> StartAsync(RuntimeOptions options, RunNetworkNamespace network, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(options.ShellPath)
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };

        // fd 3 is the stdout pipe, where slirp4netns writes "1" once tap0 is configured; its own messages go nowhere.
        // It runs in a mount namespace of its own with private propagation: slirp4netns 1.2.0's --enable-sandbox makes
        // "/" private but not recursively before it detaches the old root, and in the engine's namespace that unmounted
        // the host's shared mounts (every `ip netns` namespace in /run/netns, measured; docs/network.md).
        foreach (var argument in new[] { "-c", "exec \"$@\" 3>&1 >/dev/null", "contree-egress", options.UnsharePath, "--mount", "--propagation", "private", "--" })
        {
            start.ArgumentList.Add(argument);
        }

        if (options.EgressNetworkNamespace is { } name)
        {
            // ip-netns(8) also binds /etc/netns/<name>/resolv.conf, which slirp4netns' DNS forwarder reads.
            foreach (var argument in new[] { options.IpPath, "netns", "exec", name })
            {
                start.ArgumentList.Add(argument);
            }
        }

        foreach (var argument in new[]
        {
            options.Slirp4netnsPath, "--configure", "--mtu=65520", "--disable-host-loopback", "--enable-sandbox", "--enable-seccomp",
            "--ready-fd=3", "--exit-fd=0", "--netns-type=path", network.Path, "tap0",
        })
        {
            start.ArgumentList.Add(argument);
        }

        Process process;
        try
        {
            process = await SandboxLauncher.StartAsync(start);
        }
        catch (System.ComponentModel.Win32Exception exception)
        {
            throw ContreeException.Internal($"could not start {options.ShellPath} for slirp4netns", exception);
        }

        var stderr = process.StandardError.ReadToEndAsync(CancellationToken.None);
        var ready = new byte[1];
        int read;
        using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
        {
            timeout.CancelAfter(ReadyTimeout);
            try
            {
                read = await process.StandardOutput.BaseStream.ReadAsync(ready, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                read = 0;
            }
        }

        if (read == 1 && ready[0] == (byte)'1')
        {
            return new SlirpProcess(process);
        }

        new SlirpProcess(process).Dispose();
        cancellationToken.ThrowIfCancellationRequested();
        throw ContreeException.Internal($"slirp4netns did not start: {(await stderr).Trim()}");
    }

    /// <summary>
    /// Ends it at once and reaps it in the background: the run's processes are gone, so nothing is left to deliver, and
    /// its exit (the kernel removes <c>tap0</c>, 10–25 ms measured) would otherwise delay the run's result.
    /// </summary>
    public void Dispose()
    {
        try
        {
            _process.Kill();
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }

        _ = _process.WaitForExitAsync(CancellationToken.None).ContinueWith(_ => _process.Dispose(), TaskScheduler.Default);
    }
}
