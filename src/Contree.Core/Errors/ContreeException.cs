namespace Contree.Core.Errors;

/// <summary>
/// A failure reported by a Contree backend. <see cref="Exception.Message"/> is written for the agent: it names the
/// thing that failed and what to do, and never contains credentials, host paths the agent did not give, or exception
/// text (use <see cref="ErrorCause"/> for a reason; keep the exception as the inner one, for the log). The message of
/// an <see cref="ContreeErrorKind.Internal"/> error is never shown: <see cref="InternalError"/> logs it under an id.
/// </summary>
public sealed class ContreeException : Exception
{
    public ContreeException(ContreeErrorKind kind, string message, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Kind = kind;
        StatusCode = statusCode;
    }

    /// <summary>What went wrong, from the closed set of kinds.</summary>
    public ContreeErrorKind Kind { get; }

    /// <summary>The HTTP status the backend answered with, when the failure came over HTTP.</summary>
    public int? StatusCode { get; }

    public static ContreeException NotFound(string message) => new(ContreeErrorKind.NotFound, message, 404);

    public static ContreeException InvalidArgument(string message, Exception? inner = null) => new(ContreeErrorKind.InvalidArgument, message, 400, inner);

    public static ContreeException Conflict(string message) => new(ContreeErrorKind.Conflict, message, 409);

    public static ContreeException Internal(string message, Exception? inner = null) => new(ContreeErrorKind.Internal, message, 500, inner);

    public static ContreeException Unavailable(string message, Exception? inner = null) => new(ContreeErrorKind.Unavailable, message, 503, inner);

    public static ContreeException Unauthorized(string message) => new(ContreeErrorKind.Unauthorized, message, 401);

    /// <summary>Maps an HTTP status code to its error kind (docs/client.md).</summary>
    public static ContreeErrorKind KindFromStatus(int statusCode) => statusCode switch
    {
        400 or 405 or 413 or 415 or 422 => ContreeErrorKind.InvalidArgument,
        401 or 403 => ContreeErrorKind.Unauthorized,
        404 or 410 => ContreeErrorKind.NotFound,
        409 or 412 => ContreeErrorKind.Conflict,
        408 or 429 or >= 500 and not 501 => ContreeErrorKind.Unavailable,
        _ => ContreeErrorKind.Internal,
    };

    /// <summary>The HTTP status a server should answer with for an error of this kind.</summary>
    public static int StatusFromKind(ContreeErrorKind kind) => kind switch
    {
        ContreeErrorKind.NotFound => 404,
        ContreeErrorKind.InvalidArgument => 400,
        ContreeErrorKind.Unauthorized => 401,
        ContreeErrorKind.Conflict => 409,
        ContreeErrorKind.Unavailable => 503,
        _ => 500,
    };
}
