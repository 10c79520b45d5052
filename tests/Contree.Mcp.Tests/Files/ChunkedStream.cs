namespace Contree.Mcp.Tests.Files;

/// <summary>
/// A read-only stream that yields the given chunks one per read and can fail at a chosen chunk, like a download
/// that breaks mid-way. <see cref="OnRead"/> runs before every read (to observe the file system mid-write).
/// </summary>
public sealed class ChunkedStream(IReadOnlyList<byte[]> chunks, int failAt = -1, Exception? failure = null) : Stream
{
    private int _next;
    private int _offset;

    public int Reads { get; private set; }

    public Action<int>? OnRead { get; set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        Reads++;
        OnRead?.Invoke(_next);
        while (_next < chunks.Count)
        {
            if (_next == failAt)
            {
                throw failure ?? new InvalidOperationException($"stream failed at chunk {failAt}");
            }

            var chunk = chunks[_next];
            if (_offset < chunk.Length)
            {
                var n = Math.Min(buffer.Length, chunk.Length - _offset);
                chunk.AsSpan(_offset, n).CopyTo(buffer);
                _offset += n;
                if (_offset == chunk.Length)
                {
                    (_next, _offset) = (_next + 1, 0);
                }

                return n;
            }

            (_next, _offset) = (_next + 1, 0); // an empty chunk contributes nothing
        }

        return 0;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    /// <summary>Deterministic content of <paramref name="total"/> bytes split into chunks of <paramref name="chunk"/>.</summary>
    public static List<byte[]> Split(int total, int chunk)
    {
        var data = Enumerable.Range(0, total).Select(i => (byte)(i * 31 % 251)).ToArray();
        var chunks = new List<byte[]>();
        for (var i = 0; i < total; i += chunk)
        {
            chunks.Add(data[i..Math.Min(total, i + chunk)]);
        }

        return chunks;
    }
}
