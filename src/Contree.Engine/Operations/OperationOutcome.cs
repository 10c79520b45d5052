using Contree.Core.Models;

namespace Contree.Engine.Operations;

/// <summary>What a successful operation produced.</summary>
/// <param name="Result">The result image and tag.</param>
/// <param name="Metadata">The request metadata to store instead of the original (an instance with its result), or null to keep it.</param>
internal sealed record OperationOutcome(OperationResult Result, OperationMetadata? Metadata = null);
