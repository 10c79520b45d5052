namespace Contree.Engine.Runtime;

/// <summary>What bwrap reported on its status fd about one sandbox.</summary>
/// <param name="Started">True when bwrap reported the sandbox's child pid, i.e. the sandbox was set up.</param>
/// <param name="ExitCode">The command's exit code; null when bwrap did not get to report one (it was killed first).</param>
internal readonly record struct BwrapReport(bool Started, int? ExitCode);
