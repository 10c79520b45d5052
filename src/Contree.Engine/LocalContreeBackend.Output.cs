using Contree.Core.Errors;
using Contree.Core.Models;

namespace Contree.Engine;

internal sealed partial class LocalContreeBackend
{
    /// <summary>Served from the operation's inline view when it holds the range, else from its output file.</summary>
    public async Task<OutputRange> ReadOperationOutputAsync(
        string operationId, OutputStream stream, long offset, int length, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(operationId);
        OperationOutput.ValidateRange(offset, length);
        var id = NormalizeId(operationId);
        var record = _operations.Get(id) ?? throw OperationNotFound(operationId);
        var payload = OperationOutput.Select(record.ToResponse(), stream, operationId);
        var data = payload.TrySlice(offset, length);
        if (data is null)
        {
            var count = (int)Math.Min(length, payload.Size - offset);
            data = await _outputs.ReadAsync(id, stream, offset, count, cancellationToken);
            if (data is null || data.Length != count)
            {
                var why = _outputs.RetentionDays > 0
                    ? $"output files are deleted {_outputs.RetentionDays} days after the run, or it could not be saved"
                    : "it could not be saved";
                throw ContreeException.NotFound(
                    $"the middle of the {stream.ToWire()} of operation {operationId} is no longer available ({why}); " +
                    $"its first {payload.OmittedAt} and last {payload.ByteLength - payload.OmittedAt} bytes are in the operation's result");
            }
        }

        return new OutputRange { Data = data, Offset = offset, TotalBytes = payload.Size, Truncated = payload.Truncated };
    }
}
