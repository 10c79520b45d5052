using System.Text.Json.Serialization;

namespace Contree.Core.Models;

/// <summary>
/// The Contree API's <c>networking</c> of an instance: whether the run has a network beyond loopback, and (our
/// extension, docs/network.md) the only hosts it may reach.
/// </summary>
public sealed record InstanceNetworking
{
    /// <summary>True: outbound access to public addresses with DNS; false: loopback only.</summary>
    public bool Enabled { get; init; }

    /// <summary>
    /// Host names and <c>*.domain</c> patterns (<see cref="Networking.HostPatterns"/>); when set, only these are
    /// reachable. Null: every public host. Not part of the Contree service's API, so not sent when null.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<string>? AllowedHosts { get; init; }
}
