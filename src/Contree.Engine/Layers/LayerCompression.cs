namespace Contree.Engine.Layers;

/// <summary>How a layer blob is compressed, from its media type or its first bytes.</summary>
internal enum LayerCompression
{
    None,
    Gzip,
    Zstd,
}
