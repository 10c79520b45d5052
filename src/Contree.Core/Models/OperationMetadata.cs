namespace Contree.Core.Models;

/// <summary>
/// The request an operation was created from: <see cref="InstanceMetadata"/> or <see cref="ImportImageMetadata"/>.
/// On the wire the two are told apart by shape.
/// </summary>
public abstract record OperationMetadata;
