using System.Text.Json.Serialization;

namespace Contree.Core.Models;

/// <summary>Registry credentials for an import; both empty means anonymous.</summary>
public sealed record ImageCredentials
{
    public string Username { get; set; } = "";

    public string Password { get; set; } = "";

    [JsonIgnore]
    public bool IsAnonymous => Username.Length == 0 || Password.Length == 0;

    /// <summary>Never prints the password.</summary>
    public override string ToString() => IsAnonymous ? "anonymous" : $"user {Username}";
}
