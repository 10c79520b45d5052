using System.IO.Compression;
using ZstdSharp;

namespace Contree.Engine.Layers;

/// <summary>Opens the tar stream inside a layer blob.</summary>
internal static class LayerDecompressor
{
    /// <summary>
    /// Detects the compression from the magic numbers (gzip RFC 1952 §2.3.1: 1f 8b; zstd RFC 8878 §3.1.1:
    /// 28 b5 2f fd); anything else is taken as a plain tar. Used where no media type is known (docker-archive).
    /// </summary>
    public static LayerCompression Sniff(ReadOnlySpan<byte> magic)
    {
        if (magic.Length >= 2 && magic[0] == 0x1f && magic[1] == 0x8b)
        {
            return LayerCompression.Gzip;
        }

        return magic.Length >= 4 && magic[0] == 0x28 && magic[1] == 0xb5 && magic[2] == 0x2f && magic[3] == 0xfd
            ? LayerCompression.Zstd
            : LayerCompression.None;
    }

    /// <summary>Wraps <paramref name="blob"/> in a decompressing stream; the returned stream owns it.</summary>
    public static Stream Open(Stream blob, LayerCompression compression) => compression switch
    {
        LayerCompression.Gzip => new GZipStream(blob, CompressionMode.Decompress, leaveOpen: false),
        LayerCompression.Zstd => new DecompressionStream(blob, leaveOpen: false),
        _ => blob,
    };
}
