namespace Contree.Engine.Diagnostics;

/// <summary>How one check of <see cref="EngineDiagnostics"/> came out.</summary>
public enum EngineCheckStatus
{
    /// <summary>What the engine needs is there.</summary>
    Ok,

    /// <summary>The engine runs, with less: e.g. no cgroup limits, or no <c>internet</c> network.</summary>
    Warning,

    /// <summary>The engine cannot run sandboxes until this is fixed.</summary>
    Failed,
}
