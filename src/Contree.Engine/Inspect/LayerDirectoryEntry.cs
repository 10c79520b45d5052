namespace Contree.Engine.Inspect;

/// <summary>One name in one layer's copy of a directory, as lstat showed it.</summary>
/// <param name="Name">The entry's name inside the directory.</param>
/// <param name="Stat">Metadata of the entry in this layer (a whiteout shows as a 0/0 character device).</param>
/// <param name="LinkTarget">The symlink's target text (not resolved); empty for other types.</param>
internal sealed record LayerDirectoryEntry(string Name, FileStat Stat, string LinkTarget);
