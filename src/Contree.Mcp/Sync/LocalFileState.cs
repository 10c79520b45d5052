namespace Contree.Mcp.Sync;

/// <summary>
/// What the local stat cache compares (tier 1 in docs/rsync.md): size, modification time in nanoseconds and permission bits.
/// The inode is not part of it: the BCL does not expose st_ino, and a rename over a file changes its mtime anyway.
/// </summary>
internal readonly record struct LocalFileState(long Size, long MtimeNs, int Mode);
