namespace Contree.Core.Models;

/// <summary>The Contree API's <c>networking</c> of an instance: whether the run has a network beyond loopback.</summary>
public sealed record InstanceNetworking
{
    /// <summary>True: outbound access to public addresses with DNS; false: loopback only.</summary>
    public bool Enabled { get; init; }
}
