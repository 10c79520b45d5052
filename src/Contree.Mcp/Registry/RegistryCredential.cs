namespace Contree.Mcp.Registry;

/// <summary>
/// Credentials for one registry, stored by <c>registry_auth</c> for image imports.
/// <see cref="ToString"/> never reveals <see cref="Token"/>.
/// </summary>
internal sealed record RegistryCredential(string Registry, string Username, string Token, IReadOnlyList<string> Scopes, DateTimeOffset CreatedAt)
{
    public override string ToString() =>
        $"RegistryCredential {{ Registry = {Registry}, Username = {Username}, Token = ***, Scopes = [{string.Join(", ", Scopes)}], CreatedAt = {CreatedAt:O} }}";
}
