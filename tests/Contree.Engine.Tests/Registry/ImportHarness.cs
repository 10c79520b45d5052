using Contree.Core.Models;
using Contree.Engine.Registry;
using Contree.Engine.Storage;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace Contree.Engine.Tests.Registry;

/// <summary>
/// A real <see cref="ImageImporter"/> over the engine's real blob and layer stores in a fresh data directory,
/// with the real IHttpClientFactory. Disposing removes the directory.
/// </summary>
internal sealed class ImportHarness : IDisposable
{
    private readonly ServiceProvider _services;

    public ImportHarness(ImporterOptions? options = null)
    {
        Root = Directory.CreateTempSubdirectory("contree-import-").FullName;
        Paths = new EnginePaths(Path.Combine(Root, "data"));
        Paths.EnsureCreated();
        Database = new EngineDatabase(Paths);
        Blobs = new BlobStore(Paths);
        Layers = new LayerStore(Paths, Database, TimeProvider.System);
        _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
        Options = options ?? new ImporterOptions();
        Importer = new ImageImporter(Blobs, Layers, Options, _services.GetRequiredService<IHttpClientFactory>(), NullLogger<ImageImporter>.Instance);
    }

    public string Root { get; }

    public EnginePaths Paths { get; }

    public EngineDatabase Database { get; }

    public BlobStore Blobs { get; }

    public LayerStore Layers { get; }

    public ImporterOptions Options { get; }

    public ImageImporter Importer { get; }

    /// <summary>A scratch directory for layouts and archives, outside the data directory.</summary>
    public string Scratch(string name)
    {
        var path = Path.Combine(Root, "scratch", name);
        Directory.CreateDirectory(path);
        return path;
    }

    public Task<ImportedImage> ImportAsync(string url, string username = "", string password = "") =>
        Importer.ImportAsync(
            new ImportImageMetadata { Registry = new ImageRegistry { Url = url, Credentials = new ImageCredentials { Username = username, Password = password } } },
            TestContext.Current.CancellationToken);

    /// <summary>Text of a file in a layer, by path relative to the layer root.</summary>
    public string ReadLayerFile(string layerId, string path) => File.ReadAllText(Path.Combine(Layers.GetDirectory(layerId), path));

    public bool LayerHas(string layerId, string path) => Path.Exists(Path.Combine(Layers.GetDirectory(layerId), path));

    /// <summary>Nothing half-built is left in staging or ingest.</summary>
    public void AssertNoLeftovers()
    {
        Assert.Empty(Directory.GetFileSystemEntries(Paths.Staging));
        Assert.Empty(Directory.GetFileSystemEntries(Paths.Ingest));
    }

    public void Dispose()
    {
        _services.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (DirectoryNotFoundException)
        {
        }
    }
}
