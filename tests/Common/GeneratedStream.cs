namespace Contree.Tests.Common;

/// <summary>
/// A non-seekable stream of <see cref="TotalLength"/> bytes made on demand (byte i = <c>generate(i)</c>, by default
/// <see cref="ByteAt"/>), handed out in reads of the given sizes in turn (like a pipe that delivers uneven pieces; 64 KiB
/// when none are given). Nothing is held beyond one read, and a test can tell how much a consumer has pulled so far.
/// </summary>
internal sealed class GeneratedStream(long totalLength, Func<long, byte>? generate = null, params int[] readSizes) : Stream
{
    private readonly Func<long, byte> _generate = generate ?? ByteAt;
    private long _position;
    private int _next;

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
        var size = readSizes.Length == 0 ? 64 * 1024 : readSizes[_next++ % readSizes.Length];
        var count = (int)Math.Min(Math.Min(size, buffer.Length), TotalLength - _position);
        for (var i = 0; i < count; i++)
        {
            buffer[i] = _generate(_position + i);
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
