namespace Contree.Mcp.Sync;

/// <summary>
/// What the local stat cache compares (spec 2.8 tier 1): size, modification time in nanoseconds and permission bits.
/// The inode is not part of it: the BCL does not expose st_ino, and a rename over a file changes its mtime anyway.
/// </summary>
internal readonly record struct LocalFileState(long Size, long MtimeNs, int Mode);
