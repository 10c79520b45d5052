using System.Runtime.InteropServices;
using Contree.Engine.Interop;
using Microsoft.Win32.SafeHandles;

namespace Contree.Engine.Storage;

/// <summary>
/// <c>engine.lock</c> in the data directory: every engine process holds a shared flock(2) on it for its whole life.
/// Start-up recovery (failing interrupted operations, sweeping runs/, ingest/, staging/) needs the exclusive lock,
/// so it only runs when no other engine process is using the same data directory — several MCP servers started by
/// different agent clients may share one store, and one must never clean up another's live work.
/// </summary>
internal sealed class EngineLock : IDisposable
{
    private readonly SafeFileHandle _handle;
    private readonly string _path;
    private readonly Lock _gate = new();

    public EngineLock(EnginePaths paths)
    {
        _path = Path.Combine(paths.Root, "engine.lock");
        _handle = File.OpenHandle(_path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete);
        Libc.CheckIo(Libc.Flock(Descriptor, Libc.LOCK_SH), _path, "flock");
    }

    /// <summary>
    /// Runs <paramref name="action"/> while holding the lock exclusively; false (without running it) when another
    /// engine process holds the lock.
    /// </summary>
    public bool TryRunExclusive(Action action)
    {
        lock (_gate)
        {
            if (Libc.Flock(Descriptor, Libc.LOCK_EX | Libc.LOCK_NB) == -1)
            {
                if (Marshal.GetLastPInvokeError() == Libc.EWOULDBLOCK)
                {
                    return false;
                }

                Libc.CheckIo(-1, _path, "flock");
            }

            try
            {
                action();
                return true;
            }
            finally
            {
                Libc.CheckIo(Libc.Flock(Descriptor, Libc.LOCK_SH), _path, "flock");
            }
        }
    }

    public void Dispose() => _handle.Dispose();

    private int Descriptor => (int)_handle.DangerousGetHandle();
}
