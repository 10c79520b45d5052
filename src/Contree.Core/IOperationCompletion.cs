namespace Contree.Core;

/// <summary>
/// Optional capability of a backend that knows when its operations finish (the local engine), so waiters
/// need not poll. Backends without it (the HTTP client) are polled through <see cref="IContreeBackend.GetOperationAsync"/>.
/// </summary>
public interface IOperationCompletion
{
    /// <summary>
    /// Completes when the operation reaches a terminal state (at once if it already has). Throws a
    /// <see cref="Errors.ContreeException"/> of kind NotFound for an unknown id.
    /// </summary>
    Task WaitForTerminalAsync(string operationId, CancellationToken cancellationToken = default);
}
