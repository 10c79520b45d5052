using System.Collections.Concurrent;
using System.Net;
using System.Net.NetworkInformation;
using System.Runtime.InteropServices;
using Contree.Core.Errors;
using Contree.Engine.Interop;

namespace Contree.Engine.Runtime.Network;

/// <summary>
/// Makes the network namespace of an <c>internet</c> run on one dedicated thread: <c>unshare(CLONE_NEWNET)</c> moves only
/// the calling thread, which loads <see cref="EgressRules"/> into the new namespace with libnftables, keeps a descriptor
/// of it and returns to the engine's namespace. The namespace belongs to the engine's user namespace, so the sandbox's
/// root (in a user namespace below) has no capability in it. 0.7 ms per run (docs/network.md); nft(8) as a process
/// would cost 13 ms.
/// </summary>
internal sealed class NetworkNamespaceFactory : IDisposable
{
    private readonly BlockingCollection<Action> _requests = [];
    private readonly Thread _thread;
    private int _originalFd = -1;

    // Reading the interfaces costs milliseconds (.NET reads /sys per interface); addresses change rarely.
    private (string? Egress, DateTime Read, List<IPAddress> Addresses)? _addresses;
    private static readonly TimeSpan AddressesFresh = TimeSpan.FromSeconds(2);

    public NetworkNamespaceFactory()
    {
        _thread = new Thread(Loop) { IsBackground = true, Name = "contree-network-namespaces" };
        _thread.Start();
    }

    /// <summary>
    /// A new namespace whose rules drop <paramref name="denied"/> and every address of the egress namespace
    /// (<paramref name="egressNamespacePath"/>, or the engine's own when null), where slirp4netns makes the connections.
    /// </summary>
    public Task<RunNetworkNamespace> CreateAsync(IReadOnlyList<IPNetwork> denied, string? egressNamespacePath) =>
        Schedule(() => new RunNetworkNamespace(CreateNamespace(EgressRules.Build(denied, AddressesOf(egressNamespacePath)))));

    /// <summary>
    /// Runs <paramref name="action"/> inside <paramref name="network"/> on this factory's thread: sockets it opens and
    /// rules it loads belong to the run's namespace, which the engine's other threads never enter.
    /// </summary>
    public Task<T> InsideAsync<T>(RunNetworkNamespace network, Func<T> action) =>
        Schedule(() =>
        {
            Enter(network.Descriptor, "setns into the run's network namespace");
            try
            {
                return action();
            }
            finally
            {
                Return();
            }
        });

    /// <summary>Loads nftables rules (nft(8) syntax) into <paramref name="network"/>.</summary>
    public Task LoadRulesAsync(RunNetworkNamespace network, string rules) => InsideAsync(network, () =>
    {
        LoadRules(rules);
        return true;
    });

    public void Dispose() => _requests.CompleteAdding();

    private Task<T> Schedule<T>(Func<T> work)
    {
        var done = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
        _requests.Add(() =>
        {
            if (_originalFd == -1)
            {
                done.SetException(ContreeException.Internal("the network namespace thread could not open its own namespace"));
                return;
            }

            try
            {
                done.SetResult(work());
            }
#pragma warning disable CA1031 // Every failure belongs to the caller that asked; the thread serves the next one.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                done.SetException(exception);
            }
        });
        return done.Task;
    }

    private void Loop()
    {
        _originalFd = Libc.Open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        foreach (var request in _requests.GetConsumingEnumerable())
        {
            request();
        }

        _ = Libc.Close(_originalFd);
    }

    /// <summary>The addresses of the egress namespace's interfaces: a run must not reach the host through them.</summary>
    private List<IPAddress> AddressesOf(string? egressNamespacePath)
    {
        if (_addresses is { } cached && cached.Egress == egressNamespacePath && DateTime.UtcNow - cached.Read < AddressesFresh)
        {
            return cached.Addresses;
        }

        var addresses = ReadAddresses(egressNamespacePath);
        _addresses = (egressNamespacePath, DateTime.UtcNow, addresses);
        return addresses;
    }

    private List<IPAddress> ReadAddresses(string? egressNamespacePath)
    {
        if (egressNamespacePath is null)
        {
            return LocalAddresses();
        }

        var fd = Libc.Open(egressNamespacePath, Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        if (fd == -1)
        {
            throw Failure("open egress network namespace", Marshal.GetLastPInvokeError());
        }

        try
        {
            Enter(fd, "setns egress namespace");
            try
            {
                return LocalAddresses();
            }
            finally
            {
                Return();
            }
        }
        finally
        {
            _ = Libc.Close(fd);
        }
    }

    private int CreateNamespace(string rules)
    {
        if (Libc.Unshare(Libc.CLONE_NEWNET) == -1)
        {
            throw Failure("unshare(CLONE_NEWNET)", Marshal.GetLastPInvokeError());
        }

        try
        {
            LoadRules(rules);
            var fd = Libc.Open("/proc/thread-self/ns/net", Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            return fd != -1 ? fd : throw Failure("open the new network namespace", Marshal.GetLastPInvokeError());
        }
        finally
        {
            Return();
        }
    }

    private static void LoadRules(string rules)
    {
        // The context's netlink socket is opened here, so it talks to the calling thread's namespace (libnftables(3)).
        var context = Nftables.CtxNew(Nftables.CtxDefault);
        if (context == IntPtr.Zero)
        {
            throw ContreeException.Internal("libnftables could not create a context");
        }

        try
        {
            _ = Nftables.CtxBufferError(context);
            if (Nftables.RunCmdFromBuffer(context, rules) != 0)
            {
                var error = Marshal.PtrToStringUTF8(Nftables.CtxGetErrorBuffer(context))?.Trim();
                throw ContreeException.Internal($"loading the run's nftables rules failed: {error}");
            }
        }
        finally
        {
            Nftables.CtxFree(context);
        }
    }

    private static List<IPAddress> LocalAddresses() =>
        [.. NetworkInterface.GetAllNetworkInterfaces().SelectMany(static i => i.GetIPProperties().UnicastAddresses).Select(static a => a.Address)];

    private static void Enter(int fd, string operation)
    {
        if (Libc.Setns(fd, Libc.CLONE_NEWNET) == -1)
        {
            throw Failure(operation, Marshal.GetLastPInvokeError());
        }
    }

    /// <summary>Back to the engine's namespace; a thread that cannot go back must not serve another run.</summary>
    private void Return()
    {
        if (Libc.Setns(_originalFd, Libc.CLONE_NEWNET) == -1)
        {
            var errno = Marshal.GetLastPInvokeError();
            _ = Libc.Close(_originalFd);
            _originalFd = -1;
            throw Failure("setns back to the engine's network namespace", errno);
        }
    }

    private static ContreeException Failure(string operation, int errno) =>
        ContreeException.Internal($"{operation} failed: {Marshal.GetPInvokeErrorMessage(errno)} (errno {errno})");
}
