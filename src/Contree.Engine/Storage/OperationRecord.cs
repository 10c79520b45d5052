using Contree.Core.Models;

namespace Contree.Engine.Storage;

/// <summary>One row of the <c>operations</c> table, with metadata and result decoded.</summary>
internal sealed record OperationRecord(
    string Id,
    OperationKind Kind,
    OperationStatus Status,
    string? Error,
    OperationMetadata Metadata,
    OperationResult? Result,
    string CreatedAt,
    string? FinishedAt,
    double Duration)
{
    public OperationResponse ToResponse() => new()
    {
        Uuid = Id,
        Kind = Kind,
        Status = Status,
        Error = Error,
        Metadata = Metadata,
        Result = Result,
        Duration = Duration,
    };

    public OperationSummary ToSummary() => new() { Uuid = Id, Kind = Kind, Status = Status, Error = Error, CreatedAt = CreatedAt };
}
