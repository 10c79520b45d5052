using Contree.Core.Models;

namespace Contree.Tests.Common;

/// <summary>
/// What a <see cref="FakeContreeBackend"/> instance (or import) ends with. The default outcome of a run is exit 0
/// with the command echoed on stdout.
/// </summary>
public sealed record FakeRunOutcome
{
    public int ExitCode { get; init; }

    public string Stdout { get; init; } = "";

    /// <summary>Raw stdout bytes; wins over <see cref="Stdout"/> when set (e.g. invalid UTF-8).</summary>
    public byte[]? StdoutBytes { get; init; }

    public string Stderr { get; init; } = "";

    public bool TimedOut { get; init; }

    /// <summary>When set, the operation ends FAILED with this error instead of SUCCESS.</summary>
    public string? Error { get; init; }

    /// <summary>Files the command "writes" (absolute path → content); a non-disposable run then yields a new image.</summary>
    public IReadOnlyDictionary<string, string>? WriteFiles { get; init; }

    /// <summary>True: the operation stays EXECUTING until <see cref="FakeContreeBackend.Release"/> is called.</summary>
    public bool Hold { get; init; }

    /// <summary>
    /// Null: a cancel ends the operation at once. Otherwise the cancel is only accepted and the operation stays EXECUTING
    /// for this many more <see cref="FakeContreeBackend.GetOperationAsync"/> reads before it becomes CANCELLED, like a
    /// remote backend stopping a sandbox; <see cref="int.MaxValue"/> models one that never stops.
    /// </summary>
    public int? CancelTakesReads { get; init; }

    public ConsumedResources Resources { get; init; } = new() { ElapsedTime = 0.01, UserCpuTime = 0.002, SystemCpuTime = 0.001, MaxRss = 1024 };

    /// <summary>The default handler: exit 0, stdout = the command.</summary>
    public static FakeRunOutcome Echo(InstanceMetadata request) => new() { Stdout = request.Command };
}
