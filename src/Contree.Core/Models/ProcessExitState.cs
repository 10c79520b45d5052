namespace Contree.Core.Models;

/// <summary>How the instance's command ended (docs/http.md). A non-zero exit code is a result, not an error.</summary>
public sealed record ProcessExitState
{
    public bool Continued { get; init; }

    public bool CoreDump { get; init; }

    public int ExitCode { get; init; }

    public int Pid { get; init; }

    /// <summary>The signal that ended the process, or -1.</summary>
    public int Signal { get; set; } = -1;

    public bool Stopped { get; init; }

    public bool TimedOut { get; init; }

    /// <summary>
    /// What ended the run, one of <see cref="RunEnd"/>'s values; set by the local engine, absent from backends that do
    /// not report it (then <see cref="RunEnd.Of"/> derives it from the other fields).
    /// </summary>
    public string? EndedBy { get; init; }
}
