using Contree.Engine.Storage;

using Contree.Tests.Common;

namespace Contree.Engine.Tests.Storage;

/// <summary>The engine's stores over a fresh data directory (no runtime, no queue).</summary>
internal sealed class StoreFixture : IDisposable
{
    private readonly TestDirectory _directory = new("contree-store");

    public StoreFixture()
    {
        Paths = new EnginePaths(_directory.Combine("data"));
        Paths.EnsureCreated();
        Database = new EngineDatabase(Paths);
        Blobs = new BlobStore(Paths);
        Layers = new LayerStore(Paths, Database, TimeProvider.System);
        Images = new ImageStore(Database);
        Files = new FileStore(Database, TimeProvider.System);
        Operations = new OperationStore(Database);
    }

    public EnginePaths Paths { get; }

    public EngineDatabase Database { get; }

    public BlobStore Blobs { get; }

    public LayerStore Layers { get; }

    public ImageStore Images { get; }

    public FileStore Files { get; }

    public OperationStore Operations { get; }

    /// <summary>A scratch directory outside the data directory.</summary>
    public string Scratch(string name)
    {
        var path = _directory.Combine(name);
        Directory.CreateDirectory(path);
        return path;
    }

    public static ImageRecord NewImage(IReadOnlyList<string> layers, string? tag = null, string? createdAt = null) =>
        new(Guid.NewGuid().ToString("D"), null, layers, tag, createdAt ?? Timestamps.Format(DateTimeOffset.UtcNow), null, null, null, null, [], "");

    public void Dispose() => _directory.Dispose();
}
