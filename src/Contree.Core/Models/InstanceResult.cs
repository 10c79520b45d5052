namespace Contree.Core.Models;

/// <summary>The outcome of an instance: exit state, output and resources.</summary>
public sealed record InstanceResult
{
    public ConsumedResources Resources { get; set; } = new();

    public ProcessExitState State { get; set; } = new();

    public required StreamPayload Stdout { get; init; }

    public required StreamPayload Stderr { get; init; }
}
