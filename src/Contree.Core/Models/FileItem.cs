using System.Text.Json.Serialization;
using Contree.Core.Json;

namespace Contree.Core.Models;

/// <summary>One directory entry of an image listing.</summary>
public sealed record FileItem
{
    /// <summary>Entry name relative to the listed directory.</summary>
    public required string Path { get; init; }

    public long Size { get; init; }

    /// <summary>Owner uid, or a user name; numeric values are written as JSON numbers.</summary>
    [JsonConverter(typeof(IntOrStringConverter))]
    public string Owner { get; set; } = "0";

    /// <summary>Group gid, or a group name; numeric values are written as JSON numbers.</summary>
    [JsonConverter(typeof(IntOrStringConverter))]
    public string Group { get; set; } = "0";

    /// <summary>st_mode: permission bits, possibly with the file-type bits.</summary>
    public int Mode { get; init; }

    /// <summary>Modification time in unix seconds.</summary>
    public long Mtime { get; init; }

    public bool IsDir { get; init; }

    public bool IsRegular { get; init; }

    public bool IsSymlink { get; init; }

    public bool IsSocket { get; init; }

    public bool IsFifo { get; init; }

    public string SymlinkTo { get; set; } = "";
}
