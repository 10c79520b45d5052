using System.ComponentModel;
using Contree.Core.Models;

namespace Contree.Mcp.Results;

/// <summary>
/// The flat shape of one operation as tools return it. Instance operations fill the process fields
/// (exit_code … resources); imports fill registry_url and result_tag. Absent (null) fields are omitted.
/// </summary>
internal sealed record OperationView
{
    [Description("Operation id; pass it to get_operation, wait_operations or cancel_operation.")]
    public required string OperationId { get; init; }

    [Description("instance or image_import.")]
    public string? Kind { get; init; }

    [Description("PENDING, ASSIGNED, EXECUTING, SUCCESS, FAILED or CANCELLED. SUCCESS means the sandbox ran; see exit_code.")]
    public string? Status { get; init; }

    [Description("Exit code of the command (instances that finished).")]
    public int? ExitCode { get; init; }

    [Description("True when the command was killed at its timeout.")]
    public bool? TimedOut { get; init; }

    [Description("What ended the command: exited (by itself, whatever its exit code), time_limit, memory_limit, pids_limit or cancelled.")]
    public string? EndedBy { get; init; }

    [Description("One line of advice when a limit or a cancel ended the command, or when a failure looks like the network.")]
    public string? Hint { get; init; }

    [Description("The network the run had: internet or none (absent when the backend did not say).")]
    public string? Network { get; init; }

    [Description("The only hosts the run could reach (its allowed_hosts), when it had such a list.")]
    public IReadOnlyList<string>? AllowedHosts { get; init; }

    [Description("Standard output decoded as UTF-8 (invalid bytes replaced by U+FFFD). At most 1 MiB: longer output shows its head and its tail around one '[contree: N bytes of stdout omitted here …]' line naming the resource that returns them.")]
    public string? Stdout { get; init; }

    [Description("Standard error decoded as UTF-8, bounded like stdout.")]
    public string? Stderr { get; init; }

    [Description("True when stdout was cut at truncate_output_at bytes.")]
    public bool? StdoutTruncated { get; init; }

    [Description("True when stderr was cut at truncate_output_at bytes.")]
    public bool? StderrTruncated { get; init; }

    [Description("Bytes of stdout the run kept (at most truncate_output_at), whether or not stdout shows them all.")]
    public long? StdoutBytes { get; init; }

    [Description("Bytes of stderr the run kept (at most truncate_output_at).")]
    public long? StderrBytes { get; init; }

    [Description("Bytes of kept stdout left out of the stdout text (present only then); read them from stdout_resource.")]
    public long? StdoutOmittedBytes { get; init; }

    [Description("Bytes of kept stderr left out of the stderr text (present only then); read them from stderr_resource.")]
    public long? StderrOmittedBytes { get; init; }

    [Description("Resource with every kept stdout byte, read by range: append ?offset=<byte>&length=<bytes> (at most 1 MiB per read). Present when stdout_omitted_bytes is.")]
    public string? StdoutResource { get; init; }

    [Description("Resource with every kept stderr byte, read by range like stdout_resource. Present when stderr_omitted_bytes is.")]
    public string? StderrResource { get; init; }

    [Description("UUID of the image the operation produced (run with disposable=false, or an import).")]
    public string? ResultImage { get; init; }

    [Description("Tag given to the imported image.")]
    public string? ResultTag { get; init; }

    [Description("True when result_image is present and differs from the input image.")]
    public bool? FilesystemChanged { get; init; }

    [Description("What the command changed in the image's files, disposable or not (local engine): {path, change: added|modified|deleted, size of a regular file}, in path order, at most 200; a renamed path shows as deleted and added; directories that only hold changed files are not listed.")]
    public IReadOnlyList<FilesystemChange>? FilesystemChanges { get; init; }

    [Description("How many paths the command changed in all.")]
    public int? FilesystemChangesTotal { get; init; }

    [Description("True when filesystem_changes lists only the first of filesystem_changes_total paths.")]
    public bool? FilesystemChangesTruncated { get; init; }

    [Description("The imported registry URL (imports only; credentials are never returned).")]
    public string? RegistryUrl { get; init; }

    [Description("Seconds the operation took as the backend measured it.")]
    public double? DurationS { get; init; }

    [Description("Resource usage of the command; -1 means not measured.")]
    public ResourceUsage? Resources { get; init; }

    [Description("Why the operation failed or was cancelled.")]
    public string? Error { get; init; }
}
