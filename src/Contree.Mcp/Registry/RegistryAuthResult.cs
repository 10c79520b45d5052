namespace Contree.Mcp.Registry;

/// <summary>Result of <c>registry_auth</c> (spec 2.3); <see cref="Status"/> is "success", "error" or "not_required".</summary>
internal sealed record RegistryAuthResult(string Status, string Registry, string Message);
