namespace Contree.Engine.Runtime;

/// <summary>
/// Drains one pipe to its end, keeping at most <c>limit</c> bytes and discarding the rest, so a flood of output
/// neither blocks the writer nor grows memory beyond the limit.
/// </summary>
internal sealed class BoundedOutput
{
    private const int ChunkSize = 65536;

    private readonly long _limit;
    private byte[] _kept;
    private int _length;

    public BoundedOutput(long limit)
    {
        _limit = Math.Clamp(limit, 0, Array.MaxLength);
        _kept = new byte[(int)Math.Min(_limit, ChunkSize)];
    }

    public bool Truncated { get; private set; }

    /// <summary>
    /// Reads until end of stream; never throws for the pipe closing. The runtime passes no token: it kills the sandbox
    /// first, which closes the pipe, so output written before the kill is never lost.
    /// </summary>
    public async Task DrainAsync(Stream stream, CancellationToken cancellationToken = default)
    {
        var buffer = new byte[ChunkSize];
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer.AsMemory(), cancellationToken);
            }
            catch (IOException)
            {
                return;
            }
            catch (ObjectDisposedException)
            {
                return;
            }

            if (read == 0)
            {
                return;
            }

            var room = _limit - _length;
            var keep = (int)Math.Min(room, read);
            if (keep > 0)
            {
                Append(buffer.AsSpan(0, keep));
            }

            if (keep < read)
            {
                Truncated = true;
            }
        }
    }

    public byte[] ToArray() => _kept.AsSpan(0, _length).ToArray();

    private void Append(ReadOnlySpan<byte> bytes)
    {
        if (_length + bytes.Length > _kept.Length)
        {
            // Grows geometrically but never past the limit.
            var size = (int)Math.Min(_limit, Math.Max(_kept.Length * 2L, _length + (long)bytes.Length));
            Array.Resize(ref _kept, size);
        }

        bytes.CopyTo(_kept.AsSpan(_length));
        _length += bytes.Length;
    }
}
