using System.Text.Json.Serialization;
using Contree.Core.Json;

namespace Contree.Core.Models;

/// <summary>Full state of one operation (GET /operations/{id}, E17).</summary>
public sealed record OperationResponse
{
    public string Uuid { get; set; } = "";

    public required OperationStatus Status { get; init; }

    public required OperationKind Kind { get; init; }

    public string? Error { get; init; }

    /// <summary>The request: <see cref="InstanceMetadata"/> (with its result once finished) or <see cref="ImportImageMetadata"/>.</summary>
    [JsonConverter(typeof(OperationMetadataConverter))]
    public OperationMetadata? Metadata { get; init; }

    public OperationResult? Result { get; init; }

    /// <summary>Seconds the operation took, as the backend measured it.</summary>
    public double Duration { get; init; }

    [JsonIgnore]
    public InstanceMetadata? Instance => Metadata as InstanceMetadata;

    [JsonIgnore]
    public ImportImageMetadata? Import => Metadata as ImportImageMetadata;
}
