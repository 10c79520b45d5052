namespace Contree.Engine.Inspect;

/// <summary>
/// One name in the merged view of an image's layers.
/// </summary>
/// <param name="Name">The entry's own name ("" for the root).</param>
/// <param name="HostPath">Where the visible entry lives: in the topmost layer that has it.</param>
/// <param name="Stat">Metadata of <paramref name="HostPath"/>.</param>
/// <param name="Directories">For a directory: the host directories that merge into it, topmost first; else empty.</param>
internal sealed record MergedEntry(string Name, string HostPath, FileStat Stat, IReadOnlyList<string> Directories)
{
    /// <summary>The symlink's target text (not resolved); empty for other types.</summary>
    public string ReadLinkTarget() => Stat.IsSymlink ? new FileInfo(HostPath).LinkTarget ?? "" : "";
}
