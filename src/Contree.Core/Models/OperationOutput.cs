using Contree.Core.Errors;

namespace Contree.Core.Models;

/// <summary>The rules both backends apply to <see cref="IContreeBackend.ReadOperationOutputAsync"/>, so they answer alike.</summary>
public static class OperationOutput
{
    /// <summary>Checks a requested range: offset 0 or more, length from 0 to <see cref="OutputRange.MaxLength"/>.</summary>
    public static void ValidateRange(long offset, int length)
    {
        if (offset < 0)
        {
            throw ContreeException.InvalidArgument($"offset must be 0 or more, got {offset}");
        }

        if (length is < 0 or > OutputRange.MaxLength)
        {
            throw ContreeException.InvalidArgument($"length must be between 0 and {OutputRange.MaxLength} bytes, got {length}");
        }
    }

    /// <summary>The inline view of one stream of a finished instance; the errors say why there is none.</summary>
    public static StreamPayload Select(OperationResponse operation, OutputStream stream, string operationId)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (operation.Kind != OperationKind.Instance)
        {
            throw ContreeException.InvalidArgument($"operation {operationId} is an image import; only instance operations (runs) have output");
        }

        if (!operation.Status.IsTerminal())
        {
            throw ContreeException.Conflict($"operation {operationId} is still {operation.Status.ToWire()}; its output can be read once it has finished");
        }

        var result = operation.Instance?.Result
            ?? throw ContreeException.NotFound($"operation {operationId} ended {operation.Status.ToWire()} before its command produced a result, so it has no output");
        return stream == OutputStream.Stdout ? result.Stdout : result.Stderr;
    }
}
