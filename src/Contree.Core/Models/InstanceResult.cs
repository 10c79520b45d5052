using System.Text.Json.Serialization;

namespace Contree.Core.Models;

/// <summary>The outcome of an instance: exit state, output and resources.</summary>
public sealed record InstanceResult
{
    public ConsumedResources Resources { get; set; } = new();

    public ProcessExitState State { get; set; } = new();

    public required StreamPayload Stdout { get; init; }

    public required StreamPayload Stderr { get; init; }

    /// <summary>
    /// What the run changed in the image's files (local engine; the Contree service does not report it): at most
    /// <see cref="MaxFilesystemChanges"/> entries, in path order.
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public IReadOnlyList<FilesystemChange>? FilesystemChanges { get; init; }

    /// <summary>How many paths the run changed in all, listed or not.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? FilesystemChangesTotal { get; init; }

    /// <summary>The most <see cref="FilesystemChanges"/> a result lists.</summary>
    public const int MaxFilesystemChanges = 200;
}
