using System.Buffers;
using System.Globalization;
using System.Net.Sockets;
using System.Text;

namespace Contree.Engine.Runtime.Network.Egress;

internal sealed partial class EgressConnection
{
    /// <summary>
    /// Forwards exactly one HTTP request (its head rewritten with <c>Connection: close</c>, its body by
    /// <c>Content-Length</c>) and the response: a second request on the connection could name another host, so
    /// anything the client sends after the body is never read.
    /// </summary>
    private async Task ForwardHttpAsync(HttpRequestHead head, int headLength, string host, string target, Func<CancellationToken, Task<Socket>> connect, CancellationToken stop)
    {
        // A name, never an address: a server answers a request for its bare address with its default site, which may
        // be another name's.
        if (!guard.Allows(host))
        {
            await RefuseHostAsync(host, stop);
            return;
        }

        if (head.HasTransferEncoding)
        {
            await RespondAsync(411, "Length Required", "contree: the egress proxy forwards request bodies with a Content-Length only", stop);
            return;
        }

        Socket upstream;
        try
        {
            upstream = await connect(stop);
        }
        catch (IOException)
        {
            return;
        }
        catch (SocketException exception)
        {
            await RespondAsync(502, "Bad Gateway", $"contree: could not connect to {host}: {exception.SocketErrorCode}", stop);
            return;
        }

        using (upstream)
        {
            await upstream.SendAsync(head.Rewrite(target), SocketFlags.None, stop);
            var body = head.ContentLength ?? 0;
            var buffered = (int)Math.Min(body, _count - headLength);
            await upstream.SendAsync(_buffer.AsMemory(headLength, buffered), SocketFlags.None, stop);
            await Task.WhenAll(CopyExactlyAsync(client, upstream, body - buffered, stop), PumpAsync(upstream, client, stop));
        }
    }

    /// <summary>Both directions until each side has finished; a side's end of stream becomes a half-close of the other.</summary>
    private async Task SpliceAsync(Socket upstream, CancellationToken stop)
    {
        using (upstream)
        {
            await upstream.SendAsync(_buffer.AsMemory(0, _count), SocketFlags.None, stop);
            await Task.WhenAll(PumpAsync(client, upstream, stop), PumpAsync(upstream, client, stop));
        }
    }

    private static async Task PumpAsync(Socket from, Socket to, CancellationToken stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            int read;
            while ((read = await from.ReceiveAsync(buffer, SocketFlags.None, stop)) > 0)
            {
                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stop);
            }

            to.Shutdown(SocketShutdown.Send);
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
            // One side went away; the other direction ends on its own or when the run stops.
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static async Task CopyExactlyAsync(Socket from, Socket to, long bytes, CancellationToken stop)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(64 * 1024);
        try
        {
            while (bytes > 0)
            {
                var read = await from.ReceiveAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, bytes)), SocketFlags.None, stop);
                if (read == 0)
                {
                    break;
                }

                await to.SendAsync(buffer.AsMemory(0, read), SocketFlags.None, stop);
                bytes -= read;
            }
        }
        catch (Exception exception) when (exception is SocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Reads more of what the client sent; 0 at its end (or a full buffer), null when <paramref name="wait"/> passed first.</summary>
    private async Task<int?> ReadMoreAsync(TimeSpan wait, CancellationToken stop)
    {
        if (_count == _buffer.Length)
        {
            return 0;
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(stop);
        timeout.CancelAfter(wait);
        try
        {
            var read = await client.ReceiveAsync(_buffer.AsMemory(_count), SocketFlags.None, timeout.Token);
            _count += read;
            return read;
        }
        catch (OperationCanceledException) when (!stop.IsCancellationRequested)
        {
            return null;
        }
    }

    private void Consume(int length)
    {
        _buffer.AsSpan(length, _count - length).CopyTo(_buffer);
        _count -= length;
    }

    private async Task RespondAsync(int status, string reason, string message, CancellationToken stop)
    {
        var body = Encoding.UTF8.GetBytes(message + "\n");
        var head = Encoding.ASCII.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"HTTP/1.1 {status} {reason}\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n"));
        await client.SendAsync((byte[])[.. head, .. body], SocketFlags.None, stop);
    }
}
