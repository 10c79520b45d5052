namespace Contree.Core.Models;

/// <summary>What an operation produced: the result image and its tag, if any.</summary>
public sealed record OperationResult
{
    public string? Image { get; init; }

    public string? Tag { get; init; }
}
