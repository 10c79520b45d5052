using System.Security.Cryptography;
using Microsoft.Extensions.Logging;

namespace Contree.Core.Errors;

/// <summary>
/// The one place that turns a failure into text for the agent (docs/tools.md, "Errors"). A
/// <see cref="ContreeException"/> of any kind but <see cref="ContreeErrorKind.Internal"/> carries a message written
/// for the agent and passes through. Anything else (an Internal error, or an exception no layer expected) is logged in
/// full under a short random id, and the agent gets only <c>internal error &lt;id&gt; (…)</c>: host paths, exception
/// text, .NET type names and stack traces stay in the server log.
/// </summary>
public static partial class InternalError
{
    /// <summary>Turns <paramref name="exception"/> into what the agent sees, logging it; <paramref name="operation"/> names what failed.</summary>
    public static AgentError Describe(Exception exception, ILogger logger, string operation)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(logger);
        if (exception is ContreeException { Kind: not ContreeErrorKind.Internal } failure)
        {
            // The message is for the agent; a cause (an OS error naming a host path) is for the log, as a warning
            // because the host may need attention (a registry down, a program missing).
            LogFailed(logger, failure.InnerException is null ? LogLevel.Information : LogLevel.Warning, operation, failure.Kind, failure.Message, failure.InnerException);
            return new AgentError(failure.Kind, failure.Message, null);
        }

        var id = NewId();
        LogInternal(logger, id, operation, exception);
        return new AgentError(ContreeErrorKind.Internal, Text(id), id);
    }

    /// <summary>The agent text of the internal error <paramref name="id"/>.</summary>
    public static string Text(string id) => $"internal error {id} (the details are in the server log under this id)";

    /// <summary>8 random hex digits: short enough to quote, unique enough to find in one server's log.</summary>
    public static string NewId() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
}
