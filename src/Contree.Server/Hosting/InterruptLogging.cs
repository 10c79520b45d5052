using System.Runtime.InteropServices;

namespace Contree.Server.Hosting;

/// <summary>
/// Logs "Gracefully exited on keyboard interrupt" on Ctrl-C. The host's console lifetime still
/// performs the graceful shutdown; this registration only observes the signal.
/// </summary>
internal static class InterruptLogging
{
    public static PosixSignalRegistration Register(ILogger logger) =>
        PosixSignalRegistration.Create(PosixSignal.SIGINT, _ => ServerLog.KeyboardInterrupt(logger));
}
