namespace Contree.Engine.Registry;

/// <summary>Settings of <see cref="ImageImporter"/>; the engine fills them from <c>EngineOptions</c>.</summary>
internal sealed class ImporterOptions
{
    /// <summary>Registries (host[:port]) reached over plain HTTP besides loopback ones.</summary>
    public IList<string> InsecureRegistries { get; init; } = [];

    /// <summary>Largest layer blob (as stored, usually compressed) accepted: 8 GiB.</summary>
    public long MaxLayerBytes { get; set; } = 8L << 30;

    /// <summary>Most tar entries in one layer: 1,000,000.</summary>
    public long MaxEntries { get; set; } = 1_000_000;

    /// <summary>Most bytes of file content one layer may extract to: 32 GiB.</summary>
    public long MaxTotalBytes { get; set; } = 32L << 30;

    /// <summary>Largest manifest, index or config document read into memory: 4 MiB.</summary>
    public long MaxDocumentBytes { get; set; } = 4L << 20;

    /// <summary>
    /// Platform to pick from multi-platform images as <c>os/arch[/variant]</c>, e.g. <c>linux/arm64/v8</c>;
    /// null picks linux and the host's architecture.
    /// </summary>
    public string? Platform { get; set; }
}
