namespace Contree.Client.Tests;

/// <summary>
/// A non-seekable stream of <see cref="TotalLength"/> bytes (byte i = i mod 251) made on demand, so a test can tell
/// how much of it a consumer has pulled so far.
/// </summary>
internal sealed class GeneratedStream(long totalLength) : Stream
{
    private long _position;

    public long TotalLength { get; } = totalLength;

    /// <summary>Bytes handed out so far.</summary>
    public long Produced => Interlocked.Read(ref _position);

    public bool IsDisposed { get; private set; }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position
    {
        get => throw new NotSupportedException();
        set => throw new NotSupportedException();
    }

    public static byte ByteAt(long offset) => (byte)(offset % 251);

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var count = (int)Math.Min(Math.Min(buffer.Length, 64 * 1024), TotalLength - _position);
        for (var i = 0; i < count; i++)
        {
            buffer[i] = ByteAt(_position + i);
        }

        Interlocked.Add(ref _position, count);
        return count;
    }

    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        Task.FromResult(Read(buffer.AsSpan(offset, count)));

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        IsDisposed = true;
        base.Dispose(disposing);
    }
}
