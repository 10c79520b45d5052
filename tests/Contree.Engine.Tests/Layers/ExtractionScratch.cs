using System.Formats.Tar;
using Contree.Engine.Layers;
using Contree.Tests.Common;

namespace Contree.Engine.Tests.Layers;

/// <summary>A temp directory with <c>dest</c> (the layer) and <c>outside</c> (must never be touched), removed on dispose.</summary>
internal sealed class ExtractionScratch : IDisposable
{
    public static readonly LayerLimits DefaultLimits = new(10_000, 64L << 20);

    public ExtractionScratch()
    {
        Root = Directory.CreateTempSubdirectory("contree-extract-").FullName;
        Destination = Path.Combine(Root, "dest");
        Outside = Path.Combine(Root, "outside");
        Directory.CreateDirectory(Destination);
        Directory.CreateDirectory(Outside);
        File.WriteAllText(Path.Combine(Outside, "sentinel"), "untouched");
    }

    public string Root { get; }

    public string Destination { get; }

    public string Outside { get; }

    public string InLayer(string relative) => Path.Combine(Destination, relative);

    public Task<LayerStats> ExtractAsync(byte[] tar, LayerLimits? limits = null) =>
        LayerExtractor.ExtractAsync(new MemoryStream(tar), Destination, limits ?? DefaultLimits, TestContext.Current.CancellationToken);

    public Task<LayerStats> ExtractAsync(params TarEntry[] entries) => ExtractAsync(OciImageBuilder.Tar(entries));

    /// <summary>The outside directory still holds exactly the sentinel, unchanged.</summary>
    public void AssertOutsideUntouched()
    {
        Assert.Equal(["sentinel"], Directory.GetFileSystemEntries(Outside).Select(Path.GetFileName));
        Assert.Equal("untouched", File.ReadAllText(Path.Combine(Outside, "sentinel")));
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
