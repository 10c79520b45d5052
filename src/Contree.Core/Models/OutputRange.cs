namespace Contree.Core.Models;

/// <summary>
/// A byte range of the output an instance kept (<see cref="IContreeBackend.ReadOperationOutputAsync"/>): the bytes
/// from <see cref="Offset"/> on, fewer than asked at the end, none at or past it.
/// </summary>
public sealed record OutputRange
{
    /// <summary>Largest range one read returns: 4 MiB.</summary>
    public const int MaxLength = 4 * 1024 * 1024;

    public required byte[] Data { get; init; }

    public long Offset { get; init; }

    /// <summary>Bytes the operation kept on this stream in all (at most its truncate_output_at).</summary>
    public long TotalBytes { get; init; }

    /// <summary>True when the command printed more than it kept (the rest was dropped at truncate_output_at).</summary>
    public bool Truncated { get; init; }
}
