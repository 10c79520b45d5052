namespace Contree.Engine;

/// <summary>Settings of the embedded local engine (<see cref="EngineServiceCollectionExtensions.AddContreeEngine"/>).</summary>
public sealed class EngineOptions
{
    /// <summary>Root of the store: engine.db, blobs/, layers/, runs/ … (docs/engine.md). Created when missing.</summary>
    public string DataDirectory { get; set; } = DefaultDataDirectory();

    /// <summary>Operations (runs and imports) executing at the same time; further ones wait as PENDING.</summary>
    public int MaxConcurrentOperations { get; set; } = Environment.ProcessorCount;

    /// <summary>Memory limit of one sandbox in bytes; zero or negative means unlimited.</summary>
    public long DefaultMemoryLimitBytes { get; set; } = 2L * 1024 * 1024 * 1024;

    /// <summary>Process limit of one sandbox; zero or negative means unlimited.</summary>
    public int DefaultPidsLimit { get; set; } = 1024;

    /// <summary>CPU quota of one sandbox in cores; 0 means unlimited.</summary>
    public double DefaultCpus { get; set; }

    /// <summary>
    /// Bytes one sandbox may write (files it creates or changes, including what a commit keeps), held in a size-limited
    /// tmpfs whose pages count against the memory limit; zero or negative means no limit of its own (docs/engine.md,
    /// "Per-run disk limit").
    /// </summary>
    public long DefaultDiskLimitBytes { get; set; }

    /// <summary>
    /// Longest layer chain an image may have; a commit or import that would exceed it squashes the chain into
    /// one layer. Between 1 and 499 (overlayfs stacks at most 500 lower directories, plus the run's upper).
    /// </summary>
    public int MaxLayerDepth { get; set; } = 64;

    /// <summary>
    /// Days the whole output of a long run stays readable (<c>outputs/</c>); after that only the inline view (its first
    /// and last 512 KiB) remains. Zero or negative keeps the files forever.
    /// </summary>
    public int OutputRetentionDays { get; set; } = 7;

    /// <summary>False (default): sandboxes get a private network namespace with loopback only.</summary>
    public bool HostNetwork { get; set; }

    /// <summary>
    /// Whether a run that does not say (no <c>networking</c>) gets the internet (true, default: what agents' guides
    /// expect) or loopback only. docs/network.md.
    /// </summary>
    public bool DefaultNetworkEnabled { get; set; } = true;

    /// <summary>Destinations no <c>internet</c> run may reach (CIDR); null keeps the built-in list (docs/network.md).</summary>
    public IReadOnlyList<System.Net.IPNetwork>? DeniedNetworks { get; set; }

    /// <summary>ip-netns(8) name of the namespace whose network <c>internet</c> runs use; null: the engine's own.</summary>
    public string? EgressNetworkNamespace { get; set; }

    /// <summary>Registries (host[:port]) pulled over plain HTTP, e.g. a test registry on 127.0.0.1.</summary>
    public IList<string> InsecureRegistries { get; set; } = [];

    /// <summary>$XDG_DATA_HOME/contree-mcp, or ~/.local/share/contree-mcp.</summary>
    public static string DefaultDataDirectory()
    {
        var xdg = Environment.GetEnvironmentVariable("XDG_DATA_HOME");
        var baseDir = string.IsNullOrEmpty(xdg)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share")
            : xdg;
        return Path.Combine(baseDir, "contree-mcp");
    }
}
