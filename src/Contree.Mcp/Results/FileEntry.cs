using System.ComponentModel;

namespace Contree.Mcp.Results;

/// <summary>One directory entry of list_files.</summary>
internal sealed record FileEntry
{
    public required string Name { get; init; }

    [Description("Absolute path inside the image.")]
    public required string Path { get; init; }

    [Description("file, directory, symlink, socket or fifo.")]
    public required string Type { get; init; }

    public long Size { get; init; }

    [Description("Permission bits in octal, e.g. 0o755.")]
    public required string Mode { get; init; }

    public required string Owner { get; init; }

    public required string Group { get; init; }

    [Description("Modification time, unix seconds.")]
    public long Mtime { get; init; }

    [Description("Symlink target (symlinks only).")]
    public string? Target { get; init; }
}
