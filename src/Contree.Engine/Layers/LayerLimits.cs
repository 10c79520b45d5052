namespace Contree.Engine.Layers;

/// <summary>Bounds on one layer tar, so a hostile archive cannot exhaust inodes or disk.</summary>
/// <param name="MaxEntries">Most tar entries (of any type) one layer may contain.</param>
/// <param name="MaxTotalBytes">Most bytes of regular-file content one layer may write (checked against each size header before writing).</param>
internal sealed record LayerLimits(long MaxEntries, long MaxTotalBytes);
