using System.Buffers;

namespace Contree.Engine.Runtime;

/// <summary>
/// Drains one pipe to its end and keeps at most <c>limit</c> bytes of it (later output is read and dropped, so a
/// flood never blocks the writer). In memory it holds only the first <c>headCapacity</c> and the last
/// <c>tailCapacity</c> kept bytes; as soon as the kept output outgrows those two windows, all of it goes to the spill
/// file as well, so the server's memory stays bounded whatever a command prints (docs/engine.md, "Output").
/// </summary>
internal sealed class OutputCapture : IDisposable
{
    private const int ChunkSize = 65536;

    private readonly long _limit;
    private readonly string? _spillPath;
    private readonly int _headCapacity;
    private readonly int _tailCapacity;
    private byte[] _head;
    private int _headLength;

    /// <summary>Ring of the last kept bytes; allocated when the head is full.</summary>
    private byte[]? _tail;
    private int _tailStart;
    private int _tailLength;
    private FileStream? _spill;
    private bool _spilled;

    public OutputCapture(long limit, string? spillPath, int headCapacity = Core.Models.StreamPayload.ViewHeadBytes, int tailCapacity = Core.Models.StreamPayload.ViewTailBytes)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(headCapacity);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(tailCapacity);
        _limit = Math.Max(0, limit);
        _spillPath = spillPath;
        _headCapacity = (int)Math.Min(headCapacity, _limit);
        _tailCapacity = tailCapacity;
        _head = new byte[Math.Min(_headCapacity, ChunkSize)];
    }

    /// <summary>Bytes kept so far (at most the limit).</summary>
    public long KeptBytes { get; private set; }

    public bool Truncated { get; private set; }

    /// <summary>Largest number of bytes this capture held in memory at once (head, tail ring and read buffer).</summary>
    public long PeakBufferBytes { get; private set; }

    /// <summary>Set when writing the spill file failed (a full disk): the omitted middle of the output is lost.</summary>
    public IOException? SpillError { get; private set; }

    /// <summary>
    /// Reads until end of stream; never throws for the pipe closing. The runtime passes no token: it kills the sandbox
    /// first, which closes the pipe, so output written before the kill is never lost. The spill file is complete and
    /// closed when this returns.
    /// </summary>
    public Task DrainAsync(Stream stream, CancellationToken cancellationToken = default) => DrainAsync(stream, null, cancellationToken);

    /// <summary>
    /// As <see cref="DrainAsync(Stream, CancellationToken)"/>, then keeps what <paramref name="trailer"/> says once the
    /// stream has ended (the engine's own note for the agent, within the same limit).
    /// </summary>
    public async Task DrainAsync(Stream stream, Func<string?>? trailer, CancellationToken cancellationToken = default)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
        try
        {
            while (true)
            {
                int read;
                try
                {
                    read = await stream.ReadAsync(buffer.AsMemory(0, ChunkSize), cancellationToken);
                }
                catch (IOException)
                {
                    break;
                }
                catch (ObjectDisposedException)
                {
                    break;
                }

                if (read == 0)
                {
                    break;
                }

                await KeepWithinLimitAsync(buffer.AsMemory(0, read), cancellationToken);

                PeakBufferBytes = Math.Max(PeakBufferBytes, _head.Length + (_tail?.Length ?? 0) + (long)ChunkSize);
            }

            if (trailer?.Invoke() is { } note)
            {
                await KeepWithinLimitAsync(System.Text.Encoding.UTF8.GetBytes(note), cancellationToken);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            await CloseSpillAsync();
        }
    }

    /// <summary>What was kept, once <c>DrainAsync</c> has returned.</summary>
    public CapturedOutput ToResult()
    {
        var head = _head.AsSpan(0, _headLength).ToArray();
        var tail = new byte[_tailLength];
        if (_tail is not null)
        {
            var first = Math.Min(_tailLength, _tail.Length - _tailStart);
            _tail.AsSpan(_tailStart, first).CopyTo(tail);
            _tail.AsSpan(0, _tailLength - first).CopyTo(tail.AsSpan(first));
        }

        return new CapturedOutput
        {
            Head = head,
            Tail = tail,
            KeptBytes = KeptBytes,
            Truncated = Truncated,
            SpillPath = _spilled && SpillError is null ? _spillPath : null,
            PeakBufferBytes = PeakBufferBytes,
        };
    }

    public void Dispose()
    {
        _spill?.Dispose();
        _spill = null;
    }

    private async Task KeepWithinLimitAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var keep = (int)Math.Min(_limit - KeptBytes, bytes.Length);
        Truncated |= keep < bytes.Length;
        if (keep > 0)
        {
            await KeepAsync(bytes[..keep], cancellationToken);
        }
    }

    private async Task KeepAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        var toHead = Math.Min(_headCapacity - _headLength, bytes.Length);
        if (toHead > 0)
        {
            if (_headLength + toHead > _head.Length)
            {
                // Grows geometrically but never past the head window: small outputs stay small.
                Array.Resize(ref _head, Math.Min(_headCapacity, Math.Max(_head.Length * 2, _headLength + toHead)));
            }

            bytes.Span[..toHead].CopyTo(_head.AsSpan(_headLength));
            _headLength += toHead;
        }

        KeptBytes += bytes.Length;
        var rest = bytes[toHead..];
        if (rest.IsEmpty)
        {
            return;
        }

        if (!_spilled && KeptBytes > _headLength + (long)_tailCapacity && _spillPath is not null && SpillError is null)
        {
            // Up to now the head and the ring held every kept byte: write them out, then keep writing.
            await StartSpillAsync(cancellationToken);
        }

        if (_spill is not null)
        {
            await WriteSpillAsync(rest, cancellationToken);
        }

        AppendTail(rest.Span);
    }

    private void AppendTail(ReadOnlySpan<byte> bytes)
    {
        _tail ??= new byte[(int)Math.Min(_tailCapacity, _limit - _headCapacity)];
        var capacity = _tail.Length;
        if (bytes.Length >= capacity)
        {
            bytes[^capacity..].CopyTo(_tail);
            _tailStart = 0;
            _tailLength = capacity;
            return;
        }

        var end = (_tailStart + _tailLength) % capacity;
        var first = Math.Min(bytes.Length, capacity - end);
        bytes[..first].CopyTo(_tail.AsSpan(end));
        bytes[first..].CopyTo(_tail);
        var overflow = _tailLength + bytes.Length - capacity;
        if (overflow > 0)
        {
            _tailStart = (_tailStart + overflow) % capacity;
            _tailLength = capacity;
        }
        else
        {
            _tailLength += bytes.Length;
        }
    }

    private async Task StartSpillAsync(CancellationToken cancellationToken)
    {
        _spilled = true;
        try
        {
            _spill = new FileStream(_spillPath!, new FileStreamOptions
            {
                Mode = FileMode.Create,
                Access = FileAccess.Write,
                Share = FileShare.Read,
                UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite,
                BufferSize = 0,
            });
        }
        catch (IOException e)
        {
            SpillError = e;
            return;
        }

        await WriteSpillAsync(_head.AsMemory(0, _headLength), cancellationToken);
        if (_tail is not null)
        {
            var first = Math.Min(_tailLength, _tail.Length - _tailStart);
            await WriteSpillAsync(_tail.AsMemory(_tailStart, first), cancellationToken);
            await WriteSpillAsync(_tail.AsMemory(0, _tailLength - first), cancellationToken);
        }
    }

    private async Task WriteSpillAsync(ReadOnlyMemory<byte> bytes, CancellationToken cancellationToken)
    {
        if (_spill is null || bytes.IsEmpty)
        {
            return;
        }

        try
        {
            await _spill.WriteAsync(bytes, cancellationToken);
        }
        catch (IOException e)
        {
            // Keep draining (the command must not block); the result says the middle could not be saved.
            SpillError = e;
            await _spill.DisposeAsync();
            _spill = null;
            DeleteIncompleteSpill();
        }
    }

    private async Task CloseSpillAsync()
    {
        if (_spill is null)
        {
            return;
        }

        try
        {
            await _spill.DisposeAsync();
        }
        catch (IOException e)
        {
            SpillError = e;
            DeleteIncompleteSpill();
        }

        _spill = null;
    }

    private void DeleteIncompleteSpill()
    {
        try
        {
            File.Delete(_spillPath!);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // An incomplete file is never read: the result names no spill file.
        }
    }
}
