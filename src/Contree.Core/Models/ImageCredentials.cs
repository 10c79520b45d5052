namespace Contree.Core.Models;

/// <summary>Registry credentials for an import; both empty means anonymous.</summary>
public sealed record ImageCredentials
{
    public string Username { get; init; } = "";

    public string Password { get; init; } = "";

    public bool IsAnonymous => Username.Length == 0 || Password.Length == 0;

    /// <summary>Never prints the password.</summary>
    public override string ToString() => IsAnonymous ? "anonymous" : $"user {Username}";
}
