using System.ComponentModel;

namespace Contree.Mcp.Results;

/// <summary>Outcome of read_file.</summary>
internal sealed record ReadFileResult
{
    public required string Path { get; init; }

    [Description("The content: text when encoding is utf-8, base64 otherwise.")]
    public required string Content { get; init; }

    [Description("utf-8 or base64.")]
    public required string Encoding { get; init; }

    [Description("Size of the whole file in bytes.")]
    public long BytesSize { get; init; }

    [Description("True when only the first max_bytes bytes are returned.")]
    public bool? Truncated { get; init; }
}
