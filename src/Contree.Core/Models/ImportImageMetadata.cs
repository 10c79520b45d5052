using System.Text.Json.Serialization;

namespace Contree.Core.Models;

/// <summary>Body of POST /images/import (E2) and the metadata of import operations.</summary>
public sealed record ImportImageMetadata : OperationMetadata
{
    public required ImageRegistry Registry { get; init; }

    /// <summary>Tag to give the imported image; omitted from the body when null.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? Tag { get; init; }

    /// <summary>Time limit in seconds.</summary>
    public int Timeout { get; set; } = 300;
}
