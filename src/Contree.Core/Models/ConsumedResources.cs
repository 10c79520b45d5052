namespace Contree.Core.Models;

/// <summary>Resource usage of an instance (spec 1.4); -1 means "not measured".</summary>
public sealed record ConsumedResources
{
    public long BlockInput { get; init; } = -1;

    public long BlockOutput { get; init; } = -1;

    public double Cost { get; init; } = -1;

    /// <summary>Wall-clock seconds.</summary>
    public double ElapsedTime { get; init; } = -1;

    public long InvoluntarySwitches { get; init; } = -1;

    /// <summary>Peak resident memory in KiB (getrusage convention).</summary>
    public long MaxRss { get; init; } = -1;

    public double MonotonicTime { get; init; } = -1;

    public long PageFaults { get; init; } = -1;

    public long PageFaultsIo { get; init; } = -1;

    public long SharedMemory { get; init; } = -1;

    public long Signals { get; init; } = -1;

    public long Swaps { get; init; } = -1;

    /// <summary>Kernel CPU seconds.</summary>
    public double SystemCpuTime { get; init; } = -1;

    public long UnsharedMemory { get; init; } = -1;

    /// <summary>User CPU seconds.</summary>
    public double UserCpuTime { get; init; } = -1;

    public long VoluntarySwitches { get; init; } = -1;
}
