using Contree.Core.Errors;

namespace Contree.Engine.Runtime;

/// <summary>
/// The error of a sandbox that could not be started because the host cannot execute a program of the launch chain. The
/// agent is told what to install; the program's host path and the OS error stay in the cause, which the server log
/// records.
/// </summary>
internal static class SandboxStartError
{
    /// <param name="program">How the agent knows the program, e.g. "bubblewrap (bwrap)".</param>
    /// <param name="package">The Debian package that provides it.</param>
    /// <param name="cause">What failed, with the host path; logged, never shown.</param>
    public static ContreeException Create(string program, string package, Exception cause) => ContreeException.Unavailable(
        $"the sandbox could not be started: this host cannot execute {program}; install the '{package}' package "
        + "and retry (the server log names the program that failed)",
        cause);
}
