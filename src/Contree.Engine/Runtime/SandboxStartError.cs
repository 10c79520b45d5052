using Contree.Core.Errors;

namespace Contree.Engine.Runtime;

/// <summary>
/// The error of a sandbox that could not be started because the host cannot execute bubblewrap. The agent is told what
/// to install; the program's host path and the OS error stay in the cause, which the server log records.
/// </summary>
internal static class SandboxStartError
{
    public static ContreeException Create(Exception cause) => ContreeException.Unavailable(
        "the sandbox could not be started: this host cannot execute bubblewrap (bwrap); install the 'bubblewrap' package "
        + "and retry (the server log names the program that failed)",
        cause);
}
