using System.Net.Sockets;
using System.Security.Authentication;
using System.Text.Json;
using Contree.Core.Errors;

namespace Contree.Core.Tests.Errors;

/// <summary>Reasons come from exception types and error codes; the exception's own text never shows.</summary>
public sealed class ErrorCauseTests
{
    public static TheoryData<Exception, string> Causes => new()
    {
        { new HttpRequestException(HttpRequestError.ConnectionError, "Connection refused (10.1.2.3:5000)", new SocketException((int)SocketError.ConnectionRefused)), "the connection was refused (nothing listens on that port)" },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "Name or service not known (nowhere.invalid:443)"), "the host name could not be resolved" },
        { new HttpRequestException(HttpRequestError.SecureConnectionError, "The SSL connection could not be established, see inner exception.", new AuthenticationException("x")), "the TLS handshake failed (an untrusted certificate, or the server does not speak HTTPS)" },
        { new HttpRequestException("An error occurred while sending the request.", new IOException("Unable to read data from the transport connection: Connection reset by peer.", new SocketException((int)SocketError.ConnectionReset))), "the connection was reset" },
        { new FileNotFoundException("Could not find file '/srv/secret/a'.", "/srv/secret/a"), "no such file" },
        { new UnauthorizedAccessException("Access to the path '/srv/secret' is denied."), "permission denied" },
        { new IOException("No space left on device : '/srv/secret/x'", 28), "no space left on device" },
        { new InvalidDataException("The archive entry was compressed using an unsupported compression method."), "the data is corrupt or in an unsupported format" },
        { new InvalidOperationException("Sequence contains no elements"), "an unexpected error" },
    };

    [Theory]
    [MemberData(nameof(Causes))]
    public void Describe_GivesTheReasonWithoutTheExceptionText(Exception exception, string expected)
    {
        var text = ErrorCause.Describe(exception);

        Assert.Equal(expected, text);
        Assert.DoesNotContain("/srv", text, StringComparison.Ordinal);
        Assert.DoesNotContain("inner exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_NamesThePathAndLine()
    {
        var error = Assert.ThrowsAny<JsonException>(() => JsonSerializer.Deserialize<Dictionary<string, int>>("{\n\"a\": \"x\"}"));

        Assert.Equal("malformed JSON or a value of the wrong type at $.a (line 2)", ErrorCause.Json(error));
    }
}
