using Contree.Core.Errors;

namespace Contree.Client;

/// <summary>
/// The body of a download (E9), read as it arrives. It owns the response and disposes it; each read has its own
/// time limit so a stalled connection fails instead of hanging, and transport failures surface as
/// <see cref="ContreeException"/> (Unavailable) like everywhere else in the client.
/// </summary>
internal sealed class ResponseStream : Stream
{
    private readonly HttpResponseMessage _response;
    private readonly Stream _inner;
    private readonly TimeSpan _readTimeout;
    private readonly string _source;

    public ResponseStream(HttpResponseMessage response, Stream inner, TimeSpan readTimeout, string source)
    {
        _response = response;
        _inner = inner;
        _readTimeout = readTimeout;
        _source = source;
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException("A download stream has no length; read it to the end.");

    public override long Position
    {
        get => throw new NotSupportedException("A download stream cannot seek.");
        set => throw new NotSupportedException("A download stream cannot seek.");
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        try
        {
            return _inner.Read(buffer);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException)
        {
            throw ConnectionLost(ex);
        }
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_readTimeout);
        try
        {
            return await _inner.ReadAsync(buffer, timeout.Token);
        }
        catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw ContreeException.Unavailable($"Download stalled: no data from {_source} for {_readTimeout.TotalSeconds:0.###} s.", ex);
        }
        catch (Exception ex) when (ex is IOException or HttpRequestException && !cancellationToken.IsCancellationRequested)
        {
            throw ConnectionLost(ex);
        }
    }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException("A download stream cannot seek.");

    public override void SetLength(long value) => throw new NotSupportedException("A download stream is read-only.");

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException("A download stream is read-only.");

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _inner.Dispose();
            _response.Dispose();
        }

        base.Dispose(disposing);
    }

    private ContreeException ConnectionLost(Exception ex) =>
        ContreeException.Unavailable($"Download from {_source} failed: the connection was lost ({ErrorCause.Describe(ex)}).", ex);
}
