namespace Contree.Mcp.Registry;

/// <summary>Result of <c>registry_token_obtain</c> (docs/tools.md); <see cref="Status"/> is "success" or "error".</summary>
internal sealed record TokenObtainResult(string Status, string Registry, string Url, string Message, string AgentInstruction);
