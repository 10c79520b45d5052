using Contree.Tests.Common;
using ZstdSharp;

namespace Contree.Engine.Tests.Registry;

/// <summary>zstd layers (RFC 8878), built here because the compressor is not in the BCL helpers of tests/Common.</summary>
internal static class ZstdLayers
{
    public static OciBlob Layer(byte[] tar)
    {
        using var compressor = new Compressor(3);
        return OciImageBuilder.Blob(OciImageBuilder.OciLayerZstdType, compressor.Wrap(tar).ToArray());
    }
}
