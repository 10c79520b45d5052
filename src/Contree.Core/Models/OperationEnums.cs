namespace Contree.Core.Models;

/// <summary>Wire text and predicates of <see cref="OperationStatus"/> and <see cref="OperationKind"/>.</summary>
public static class OperationEnums
{
    public static bool IsTerminal(this OperationStatus status) =>
        status is OperationStatus.Success or OperationStatus.Failed or OperationStatus.Cancelled;

    public static string ToWire(this OperationStatus status) => status switch
    {
        OperationStatus.Pending => "PENDING",
        OperationStatus.Assigned => "ASSIGNED",
        OperationStatus.Executing => "EXECUTING",
        OperationStatus.Success => "SUCCESS",
        OperationStatus.Failed => "FAILED",
        OperationStatus.Cancelled => "CANCELLED",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, null),
    };

    public static string ToWire(this OperationKind kind) => kind switch
    {
        OperationKind.Instance => "instance",
        OperationKind.ImageImport => "image_import",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    /// <summary>"stdout" or "stderr", as in result fields, resource URIs and /v1 paths.</summary>
    public static string ToWire(this OutputStream stream) => stream switch
    {
        OutputStream.Stdout => "stdout",
        OutputStream.Stderr => "stderr",
        _ => throw new ArgumentOutOfRangeException(nameof(stream), stream, null),
    };

    public static bool TryParseStatus(string? text, out OperationStatus status)
    {
        status = default;
        foreach (var candidate in Enum.GetValues<OperationStatus>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.OrdinalIgnoreCase))
            {
                status = candidate;
                return true;
            }
        }

        return false;
    }

    public static bool TryParseKind(string? text, out OperationKind kind)
    {
        kind = default;
        foreach (var candidate in Enum.GetValues<OperationKind>())
        {
            if (string.Equals(candidate.ToWire(), text, StringComparison.OrdinalIgnoreCase))
            {
                kind = candidate;
                return true;
            }
        }

        return false;
    }
}
