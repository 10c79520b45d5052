namespace Contree.Engine.Operations;

/// <summary>
/// The body of an operation. Returning is SUCCESS; throwing <see cref="OperationCanceledException"/> after the
/// token fired is CANCELLED; any other exception is FAILED with the exception message as the error.
/// </summary>
internal delegate Task<OperationOutcome> OperationWork(string operationId, CancellationToken cancellationToken);
