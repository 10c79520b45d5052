namespace Contree.Core.Models;

/// <summary>Resource usage of an instance; -1 means "not measured".</summary>
public sealed record ConsumedResources
{
    public long BlockInput { get; set; } = -1;

    public long BlockOutput { get; set; } = -1;

    public double Cost { get; set; } = -1;

    /// <summary>Wall-clock seconds.</summary>
    public double ElapsedTime { get; set; } = -1;

    public long InvoluntarySwitches { get; set; } = -1;

    /// <summary>Peak resident memory in KiB (getrusage convention).</summary>
    public long MaxRss { get; set; } = -1;

    public double MonotonicTime { get; set; } = -1;

    public long PageFaults { get; set; } = -1;

    public long PageFaultsIo { get; set; } = -1;

    public long SharedMemory { get; set; } = -1;

    public long Signals { get; set; } = -1;

    public long Swaps { get; set; } = -1;

    /// <summary>Kernel CPU seconds.</summary>
    public double SystemCpuTime { get; set; } = -1;

    public long UnsharedMemory { get; set; } = -1;

    /// <summary>User CPU seconds.</summary>
    public double UserCpuTime { get; set; } = -1;

    public long VoluntarySwitches { get; set; } = -1;
}
