using System.Globalization;
using Contree.Engine.Interop;

namespace Contree.Engine.Runtime.Network;

/// <summary>
/// A network namespace the engine made for one run, kept alive by an <c>O_CLOEXEC</c> descriptor of the engine;
/// slirp4netns and the launch chain open it through <see cref="Path"/>. It goes away with the last process in it once
/// this is disposed.
/// </summary>
internal sealed class RunNetworkNamespace(int fd) : IDisposable
{
    private int _fd = fd;

    /// <summary><c>/proc/&lt;engine pid&gt;/fd/&lt;fd&gt;</c>: opens the namespace from any process of the host.</summary>
    /// <summary>The engine's descriptor of the namespace, for <c>setns(2)</c>.</summary>
    public int Descriptor => _fd;

    public string Path => string.Create(CultureInfo.InvariantCulture, $"/proc/{Environment.ProcessId}/fd/{_fd}");

    public void Dispose()
    {
        var fd = Interlocked.Exchange(ref _fd, -1);
        if (fd != -1)
        {
            _ = Libc.Close(fd);
        }
    }
}
