namespace Contree.Core.Models;

/// <summary>The outcome of an instance: exit state, output and resources (spec 1.4).</summary>
public sealed record InstanceResult
{
    public ConsumedResources Resources { get; init; } = new();

    public ProcessExitState State { get; init; } = new();

    public required StreamPayload Stdout { get; init; }

    public required StreamPayload Stderr { get; init; }
}
