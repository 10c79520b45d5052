namespace Contree.Core.Models;

/// <summary>A file injected into an instance at a container path.</summary>
public sealed record InstanceFileSpec
{
    /// <summary>UUID of an uploaded file.</summary>
    public required string Uuid { get; init; }

    /// <summary>Octal permission text: "0644", "0o644" and "0o100644" are all accepted; type bits are ignored.</summary>
    public string Mode { get; set; } = "0644";

    public int Uid { get; init; }

    public int Gid { get; init; }

    /// <summary>Parses <see cref="Mode"/> into permission bits (07777), or null when it is not octal text.</summary>
    public int? ParseMode()
    {
        var text = Mode.Trim();
        if (text.StartsWith("0o", StringComparison.OrdinalIgnoreCase))
        {
            text = text[2..];
        }

        if (text.Length == 0 || text.Length > 7 || text.Any(c => c is < '0' or > '7'))
        {
            return null;
        }

        return Convert.ToInt32(text, 8) & 0xFFF;
    }
}
