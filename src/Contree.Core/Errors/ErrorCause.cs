using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Authentication;
using System.Text.Json;

namespace Contree.Core.Errors;

/// <summary>
/// Says in a few words why an I/O, network or JSON operation failed, from the exception's type and error code, so a
/// <see cref="ContreeException"/> message can give the reason without quoting exception text (which names host paths,
/// .NET types, or only says "see inner exception"). The exception itself belongs in the log.
/// </summary>
public static class ErrorCause
{
    public static string Describe(Exception exception) => exception switch
    {
        HttpRequestException http => Http(http),
        SocketException socket => Socket(socket.SocketErrorCode),
        AuthenticationException => "the TLS handshake failed (an untrusted certificate, or the server does not speak HTTPS)",
        JsonException json => Json(json),
        FileNotFoundException => "no such file",
        DirectoryNotFoundException => "no such directory",
        UnauthorizedAccessException => "permission denied",
        PathTooLongException => "the path is too long",
        EndOfStreamException => "the data ends too early",
        InvalidDataException => "the data is corrupt or in an unsupported format",
        TimeoutException => "it timed out",

        // On Linux an IOException from a system call carries the errno as its HResult.
        IOException io when io.GetType() == typeof(IOException) && io.HResult is > 0 and < 4096 => Errno(io.HResult),
        IOException when exception.InnerException is { } inner => Describe(inner),
        IOException => "an I/O error",
        _ when exception.InnerException is { } inner => Describe(inner),
        _ => "an unexpected error",
    };

    /// <summary><c>malformed JSON or a value of the wrong type at $.layers[0] (line 3)</c>.</summary>
    public static string Json(JsonException exception)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var line = exception.LineNumber is { } number ? $" (line {number + 1})" : "";
        return $"malformed JSON or a value of the wrong type at {(string.IsNullOrEmpty(exception.Path) ? "$" : exception.Path)}{line}";
    }

    private static string Http(HttpRequestException exception) => exception.HttpRequestError switch
    {
        HttpRequestError.NameResolutionError => "the host name could not be resolved",
        HttpRequestError.SecureConnectionError => "the TLS handshake failed (an untrusted certificate, or the server does not speak HTTPS)",
        HttpRequestError.ResponseEnded => "the server closed the connection before it answered",
        HttpRequestError.ProxyTunnelError => "the proxy did not open a tunnel to the server",
        HttpRequestError.UserAuthenticationError => "authentication with the proxy or server failed",
        HttpRequestError.HttpProtocolError or HttpRequestError.InvalidResponse or HttpRequestError.VersionNegotiationError
            => "the server sent an invalid HTTP response",
        HttpRequestError.ConfigurationLimitExceeded => "the response exceeded a configured limit",
        HttpRequestError.ConnectionError when FindSocketError(exception) is { } code => Socket(code),
        HttpRequestError.ConnectionError => "the connection failed",
        _ when FindSocketError(exception) is { } code => Socket(code),
        _ when exception.InnerException is AuthenticationException => "the TLS handshake failed (an untrusted certificate, or the server does not speak HTTPS)",
        _ when exception.InnerException is IOException => "the connection was lost",
        _ => "the HTTP request failed",
    };

    private static string Socket(SocketError code) => code switch
    {
        SocketError.ConnectionRefused => "the connection was refused (nothing listens on that port)",
        SocketError.TimedOut => "the connection timed out",
        SocketError.HostNotFound or SocketError.NoData or SocketError.TryAgain => "the host name could not be resolved",
        SocketError.HostUnreachable or SocketError.HostDown => "the host is unreachable",
        SocketError.NetworkUnreachable or SocketError.NetworkDown => "the network is unreachable",
        SocketError.ConnectionReset or SocketError.ConnectionAborted or SocketError.Shutdown => "the connection was reset",
        SocketError.AddressAlreadyInUse => "the address is already in use",
        SocketError.AccessDenied => "permission denied",
        _ => "the connection failed",
    };

    private static SocketError? FindSocketError(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is SocketException socket)
            {
                return socket.SocketErrorCode;
            }
        }

        return null;
    }

    private static string Errno(int errno)
    {
        // strerror text ("No space left on device") names the condition and nothing of the host.
        var text = Marshal.GetPInvokeErrorMessage(errno);
        return string.IsNullOrEmpty(text) ? "an I/O error" : char.ToLowerInvariant(text[0]) + text[1..];
    }
}
