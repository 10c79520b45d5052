namespace Contree.Core.Errors;

/// <summary>
/// The closed set of failure kinds every backend reports. The MCP layer turns each into a tool error whose
/// text is the exception message; callers decide what to do from the kind, never from the text.
/// </summary>
public enum ContreeErrorKind
{
    /// <summary>An image, tag, file, path or operation does not exist (HTTP 404).</summary>
    NotFound,

    /// <summary>The request is malformed or names something in the wrong form (HTTP 400/422).</summary>
    InvalidArgument,

    /// <summary>Missing or rejected credentials (HTTP 401/403).</summary>
    Unauthorized,

    /// <summary>The request conflicts with current state, e.g. a tag already in use (HTTP 409).</summary>
    Conflict,

    /// <summary>A transient failure: the backend is down, overloaded or timed out (HTTP 429/5xx, network).</summary>
    Unavailable,

    /// <summary>A bug or an unexpected condition inside the backend.</summary>
    Internal,
}
