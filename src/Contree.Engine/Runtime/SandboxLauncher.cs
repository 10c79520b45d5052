using System.Collections.Concurrent;
using System.Diagnostics;
using Contree.Engine.Interop;

namespace Contree.Engine.Runtime;

/// <summary>
/// Starts sandbox processes from one thread that lives as long as the engine process, with no descriptor of the engine
/// beyond stdio.
/// </summary>
/// <remarks>
/// The launch chain uses PR_SET_PDEATHSIG (<c>setpriv --pdeathsig</c>, <c>bwrap --die-with-parent</c>), and the kernel
/// fires it when the <b>thread</b> that forked the child exits, not the process (prctl(2)). Forking from a thread-pool
/// thread therefore killed runs at random once the pool retired that thread (about 20 s idle, sooner after a burst or
/// under load). Forking from this dedicated thread keeps every sandbox alive until its command ends, its timeout
/// fires, it is cancelled, or the engine process dies. docs/engine.md, "Sandbox lifetime".
/// </remarks>
internal static class SandboxLauncher
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = [];

    private static readonly Lazy<Thread> LaunchThread = new(() =>
    {
        var thread = new Thread(Loop) { IsBackground = true, Name = "contree-sandbox-launcher" };
        thread.Start();
        return thread;
    });

    /// <summary>Starts <paramref name="start"/> on the launcher thread; faults with what Process.Start threw.</summary>
    public static Task<Process> StartAsync(ProcessStartInfo start)
    {
        _ = LaunchThread.Value;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task;
    }

    private static void Loop()
    {
        foreach (var (start, started) in Requests.GetConsumingEnumerable())
        {
            try
            {
                // Descriptors the engine inherited from whatever started it (an agent client's pipes, a shell's files)
                // or that a library opened without O_CLOEXEC would otherwise reach every sandbox; the runtime's own
                // are close-on-exec already, and the stdio pipes Process.Start makes are dup'ed to 0-2 after this.
                _ = Libc.CloseRange(3, uint.MaxValue, Libc.CLOSE_RANGE_CLOEXEC);
                var process = Process.Start(start);
                if (process is null)
                {
                    started.SetException(new InvalidOperationException("Process.Start returned no process"));
                }
                else
                {
                    started.SetResult(process);
                }
            }
#pragma warning disable CA1031 // Every failure belongs to the caller that asked for this start; the loop must go on.
            catch (Exception exception)
#pragma warning restore CA1031
            {
                started.SetException(exception);
            }
        }
    }
}
