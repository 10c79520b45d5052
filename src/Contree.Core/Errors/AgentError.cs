namespace Contree.Core.Errors;

/// <summary>
/// What the agent is told about a failure: a message written for it and the kind it belongs to. <see cref="ErrorId"/>
/// is set when the failure was internal: the message is then only <c>internal error &lt;id&gt; (…)</c> and the details
/// are in the server log under that id.
/// </summary>
public readonly record struct AgentError(ContreeErrorKind Kind, string Message, string? ErrorId)
{
    /// <summary>The HTTP status a server answers with for this failure.</summary>
    public int Status => ContreeException.StatusFromKind(Kind);
}
