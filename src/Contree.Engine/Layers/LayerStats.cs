namespace Contree.Engine.Layers;

/// <summary>What one layer extraction wrote.</summary>
/// <param name="Entries">Tar entries processed.</param>
/// <param name="FileBytes">Bytes of regular-file content written.</param>
/// <param name="Whiteouts">Whiteouts (<c>.wh.&lt;name&gt;</c>) turned into character devices 0/0.</param>
/// <param name="OpaqueDirectories">Directories marked opaque (<c>.wh..wh..opq</c>).</param>
/// <param name="SkippedAttributes">Extended attributes not applied (trusted.*, overlay ones, or values that were not valid UTF-8 in the PAX header).</param>
internal sealed record LayerStats(long Entries, long FileBytes, int Whiteouts, int OpaqueDirectories, int SkippedAttributes);
