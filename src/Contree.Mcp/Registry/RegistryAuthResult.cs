namespace Contree.Mcp.Registry;

/// <summary>Result of <c>registry_auth</c> (docs/tools.md); <see cref="Status"/> is "success", "error" or "not_required".</summary>
internal sealed record RegistryAuthResult(string Status, string Registry, string Message);
