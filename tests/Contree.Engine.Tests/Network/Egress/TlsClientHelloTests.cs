using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using Contree.Engine.Runtime.Network.Egress;

namespace Contree.Engine.Tests.Network.Egress;

public sealed class TlsClientHelloTests
{
    [Fact]
    public async Task TryReadServerName_SslStreamClientHello_FindsTheName()
    {
        var hello = await CaptureClientHelloAsync("files.test");

        Assert.Equal(SniResult.Found, TlsClientHello.TryReadServerName(hello, out var name));
        Assert.Equal("files.test", name);
    }

    [Fact]
    public async Task TryReadServerName_SslStreamClientHelloSplitAnywhere_NeedMoreThenFound()
    {
        var hello = await CaptureClientHelloAsync("files.test");

        for (var length = 0; length < hello.Length; length++)
        {
            Assert.Equal(SniResult.NeedMore, TlsClientHello.TryReadServerName(hello.AsSpan(0, length), out var partial));
            Assert.Null(partial);
        }

        Assert.Equal(SniResult.Found, TlsClientHello.TryReadServerName(hello, out var name));
        Assert.Equal("files.test", name);
    }

    [Fact]
    public async Task TryReadServerName_FollowedByMoreRecords_StillFound()
    {
        var hello = await CaptureClientHelloAsync("files.test");
        byte[] data = [.. hello, 0x17, 0x03, 0x03, 0x00, 0x02, 0xAA, 0xBB]; // e.g. 0-RTT application data after it

        Assert.Equal(SniResult.Found, TlsClientHello.TryReadServerName(data, out var name));
        Assert.Equal("files.test", name);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(100)]
    public async Task TryReadServerName_ClientHelloAcrossRecords_Reassembled(int fragmentLength)
    {
        var hello = await CaptureClientHelloAsync("files.test");
        var fragmented = Refragment(hello, fragmentLength);
        Assert.True(fragmented.Length > hello.Length);

        for (var length = 0; length < fragmented.Length; length++)
        {
            Assert.Equal(SniResult.NeedMore, TlsClientHello.TryReadServerName(fragmented.AsSpan(0, length), out _));
        }

        Assert.Equal(SniResult.Found, TlsClientHello.TryReadServerName(fragmented, out var name));
        Assert.Equal("files.test", name);
    }

    [Fact]
    public async Task TryReadServerName_SecondRecordNotHandshake_Malformed()
    {
        var fragmented = Refragment(await CaptureClientHelloAsync("files.test"), 100);
        fragmented[105] = 0x17; // the second record's type: application_data

        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(fragmented, out _));
        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(fragmented.AsSpan(0, 106), out _));
    }

    [Fact]
    public async Task TryReadServerName_UpperCaseNameInARealHello_LowerCased()
    {
        var hello = await CaptureClientHelloAsync("files.test");
        var at = hello.AsSpan().IndexOf("files.test"u8);
        Assert.True(at > 0);
        "FiLeS.TeSt"u8.CopyTo(hello.AsSpan(at));

        Assert.Equal(SniResult.Found, TlsClientHello.TryReadServerName(hello, out var name));
        Assert.Equal("files.test", name);
    }

    [Theory]
    [InlineData("files/test")]
    [InlineData("files test")]
    [InlineData("files\0test")]
    [InlineData("files..te")]
    public async Task TryReadServerName_BadCharacterInARealHello_Malformed(string replacement)
    {
        var hello = await CaptureClientHelloAsync("files.test");
        var at = hello.AsSpan().IndexOf("files.test"u8);
        Encoding.Latin1.GetBytes(replacement).CopyTo(hello.AsSpan(at));

        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(hello, out var name));
        Assert.Null(name);
    }

    [Fact]
    public async Task TryReadServerName_SslStreamToAnIpAddress_NoServerName()
    {
        var hello = await CaptureClientHelloAsync("127.0.0.1");

        Assert.Equal(SniResult.NoServerName, TlsClientHello.TryReadServerName(hello, out var name));
        Assert.Null(name);
        Assert.Equal(SniResult.NeedMore, TlsClientHello.TryReadServerName(hello.AsSpan(0, hello.Length - 1), out _));
    }

    [Theory]
    [InlineData(new byte[] { (byte)'G' })]
    [InlineData(new byte[] { 0x80, 0x2E, 0x01 })] // an SSLv2-format ClientHello
    [InlineData(new byte[] { (byte)'S', (byte)'S', (byte)'H', (byte)'-' })]
    [InlineData(new byte[] { 0x17, 0x03, 0x03 })] // application data
    [InlineData(new byte[] { 0x16, 0x02 })] // handshake type byte, then not a 3.x version
    [InlineData(new byte[] { 0x16, 0x00, 0x00, 0x00 })]
    public void TryReadServerName_NotAHandshakeRecord_NotTls(byte[] data) => Assert.Equal(SniResult.NotTls, TlsClientHello.TryReadServerName(data, out _));

    [Theory]
    [InlineData(new byte[] { })]
    [InlineData(new byte[] { 0x16 })]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x02 })]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00 })]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01 })]
    public void TryReadServerName_StartOfAHandshake_NeedMore(byte[] data) => Assert.Equal(SniResult.NeedMore, TlsClientHello.TryReadServerName(data, out _));

    [Theory]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x00 })] // a zero-length handshake record (RFC 8446 §5.1)
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x40, 0x01 })] // a record over 2^14
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0xFF, 0xFF })]
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x40, 0x02 })] // a ServerHello, decided from its first byte
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x40, 0x00 })] // HelloRequest
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0xFF, 0xFF, 0xFF })] // a 16 MiB ClientHello
    [InlineData(new byte[] { 0x16, 0x03, 0x01, 0x00, 0x40, 0x01, 0x00, 0xFF, 0xFD })] // one byte over 64 KiB in all
    public void TryReadServerName_BadRecordOrHandshakeHeader_MalformedAtOnce(byte[] data) => Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(data, out _));

    [Fact]
    public void TryReadServerName_ClientHelloOf64KiB_WaitsForIt()
    {
        // 4 + 65532 = 64 KiB: the largest message accepted, so the parser keeps waiting.
        byte[] start = [0x16, 0x03, 0x01, 0x40, 0x00, 0x01, 0x00, 0xFF, 0xFC];
        Assert.Equal(SniResult.NeedMore, TlsClientHello.TryReadServerName(start, out _));
    }

    [Fact]
    public void TryReadServerName_HandshakeHeaderSplitAcrossRecords_Read()
    {
        var hello = ClientHello(ServerName((0, "files.test"u8.ToArray())));
        var message = hello[5..];
        // First record: the handshake type only; second: the rest (RFC 8446 §5.1 allows any split).
        byte[] split = [0x16, 0x03, 0x01, 0x00, 0x01, message[0], 0x16, 0x03, 0x01, (byte)((message.Length - 1) >> 8), (byte)(message.Length - 1), .. message[1..]];

        Assert.Equal(SniResult.Found, TlsClientHello.TryReadServerName(split, out var name));
        Assert.Equal("files.test", name);
    }

    [Theory]
    [InlineData("files.test", "files.test")]
    [InlineData("FILES.test.", "files.test")]
    [InlineData("_acme-challenge.files.test", "_acme-challenge.files.test")]
    [InlineData("192.0.2.1", "192.0.2.1")]
    public void TryReadServerName_BuiltHostName_Normalised(string sent, string expected)
    {
        var hello = ClientHello(ServerName((0, Encoding.ASCII.GetBytes(sent))));

        Assert.Equal(SniResult.Found, TlsClientHello.TryReadServerName(hello, out var name));
        Assert.Equal(expected, name);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(".files.test")]
    [InlineData("files.test..")]
    [InlineData("files:443")]
    [InlineData("files.test\0.evil")]
    [InlineData("fïles.test")]
    [InlineData("*.files.test")]
    public void TryReadServerName_BadHostName_Malformed(string sent)
    {
        var hello = ClientHello(ServerName((0, Encoding.Latin1.GetBytes(sent))));

        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(hello, out var name));
        Assert.Null(name);
    }

    [Fact]
    public void TryReadServerName_OverlongHostName_Malformed()
    {
        var label = new string('a', 63);
        var ok = string.Join('.', label, label, label, new string('a', 61)); // 253 characters
        var tooLong = ok + "a";
        var label64 = new string('a', 64) + ".test";

        Assert.Equal(SniResult.Found, TlsClientHello.TryReadServerName(ClientHello(ServerName((0, Encoding.ASCII.GetBytes(ok)))), out _));
        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(ClientHello(ServerName((0, Encoding.ASCII.GetBytes(tooLong)))), out _));
        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(ClientHello(ServerName((0, Encoding.ASCII.GetBytes(label64)))), out _));
    }

    [Fact]
    public void TryReadServerName_TwoNamesOrTwoExtensions_Malformed()
    {
        var two = ClientHello(ServerName((0, "files.test"u8.ToArray()), (0, "evil.test"u8.ToArray())));
        var twice = ClientHello(ServerName((0, "files.test"u8.ToArray())), ServerName((0, "evil.test"u8.ToArray())));
        var otherType = ClientHello(ServerName((1, "files.test"u8.ToArray())));

        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(two, out _));
        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(twice, out _));
        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(otherType, out _));
    }

    [Fact]
    public void TryReadServerName_EmptyServerNameList_Malformed()
    {
        byte[] emptyData = [0x00, 0x00, 0x00, 0x00];
        byte[] emptyList = [0x00, 0x00, 0x00, 0x02, 0x00, 0x00];

        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(ClientHello(emptyData), out _));
        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(ClientHello(emptyList), out _));
    }

    [Fact]
    public void TryReadServerName_OtherExtensionsOnlyOrNoExtensionBlock_NoServerName()
    {
        byte[] supportedVersions = [0x00, 0x2B, 0x00, 0x03, 0x02, 0x03, 0x04];

        Assert.Equal(SniResult.NoServerName, TlsClientHello.TryReadServerName(ClientHello(supportedVersions), out _));
        Assert.Equal(SniResult.NoServerName, TlsClientHello.TryReadServerName(ClientHello(null), out _));
        Assert.Equal(SniResult.NoServerName, TlsClientHello.TryReadServerName(ClientHello([]), out _));
    }

    [Fact]
    public void TryReadServerName_BadBodyLengths_Malformed()
    {
        var good = ClientHello(ServerName((0, "files.test"u8.ToArray())));
        Assert.Equal(SniResult.Found, TlsClientHello.TryReadServerName(good, out _));

        // Body offsets (after the 9 bytes of record and handshake headers): version 0, random 2, session ID 34,
        // cipher suites 35, compression 39, extensions 41.
        Assert.Equal(SniResult.Malformed, Mutated(good, 9 + 34, 33));          // session ID over 32
        Assert.Equal(SniResult.Malformed, Mutated(good, 9 + 36, 3));           // odd cipher suites length
        Assert.Equal(SniResult.Malformed, Mutated(good, 9 + 36, 0));           // no cipher suites
        Assert.Equal(SniResult.Malformed, Mutated(good, 9 + 39, 0));           // no compression method
        Assert.Equal(SniResult.Malformed, Mutated(good, 9 + 42, 0xFF));        // extensions longer than the body
        Assert.Equal(SniResult.Malformed, Mutated(good, 9 + 46, 0xFF));        // server_name data longer than the block
        Assert.Equal(SniResult.Malformed, Mutated(good, 9 + 48, 0xFF));        // name list longer than the data
        Assert.Equal(SniResult.Malformed, Mutated(good, 9 + 51, 0xFF));        // host_name longer than the list

        // A byte after the extensions, counted by both lengths: trailing garbage.
        byte[] trailing = [.. good, 0x00];
        trailing[4]++;
        trailing[8]++;
        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(trailing, out _));

        // A body too short for version and random.
        byte[] tiny = [0x16, 0x03, 0x01, 0x00, 0x06, 0x01, 0x00, 0x00, 0x02, 0x03, 0x03];
        Assert.Equal(SniResult.Malformed, TlsClientHello.TryReadServerName(tiny, out _));
    }

    [Fact]
    public async Task TryReadServerName_RandomAndMutatedInput_NeverThrows()
    {
        var hello = await CaptureClientHelloAsync("files.test");
        var fragmented = Refragment(hello, 50);
        var random = new Random(8446);
        for (var i = 0; i < 20_000; i++)
        {
            var source = i % 2 == 0 ? hello : fragmented;
            byte[] data;
            if (i % 7 == 0)
            {
                data = new byte[random.Next(1, 400)];
                random.NextBytes(data);
                data[0] = 0x16;
            }
            else
            {
                data = source[..random.Next(1, source.Length + 1)];
                for (var flips = random.Next(1, 4); flips > 0; flips--)
                {
                    data[random.Next(data.Length)] = (byte)random.Next(256);
                }
            }

            var result = TlsClientHello.TryReadServerName(data, out var name);
            Assert.Equal(result == SniResult.Found, name is not null);
        }
    }

    private static SniResult Mutated(byte[] hello, int offset, byte value)
    {
        var copy = hello.ToArray();
        copy[offset] = value;
        return TlsClientHello.TryReadServerName(copy, out _);
    }

    /// <summary>Sends a real ClientHello with SslStream over a loopback connection and returns its first record.</summary>
    private static async Task<byte[]> CaptureClientHelloAsync(string targetHost)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        var token = timeout.Token;

        using var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        listener.Listen(1);
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(listener.LocalEndPoint!, token);
        using var server = await listener.AcceptAsync(token);

        var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        var handshake = tls.AuthenticateAsClientAsync(new SslClientAuthenticationOptions { TargetHost = targetHost }, token);

        // Read the first record by its own header (RFC 8446 §5.1), independently of the parser under test.
        var received = new List<byte>();
        var buffer = new byte[4096];
        while (received.Count < 5 || received.Count < 5 + ((received[3] << 8) | received[4]))
        {
            var read = await server.ReceiveAsync(buffer, SocketFlags.None, token);
            Assert.True(read > 0, "the client closed before sending its ClientHello");
            received.AddRange(buffer.AsSpan(0, read));
        }

        server.Close();
        try
        {
            await handshake;
        }
        catch (Exception e) when (e is AuthenticationException or IOException or OperationCanceledException)
        {
            // The "server" hung up: the handshake cannot succeed.
        }

        await tls.DisposeAsync();
        var record = received.ToArray();
        Assert.Equal(0x16, record[0]);
        Assert.Equal(5 + ((record[3] << 8) | record[4]), record.Length);
        return record;
    }

    /// <summary>The handshake message of a single-record ClientHello in records of at most fragmentLength bytes.</summary>
    private static byte[] Refragment(byte[] record, int fragmentLength)
    {
        var message = record.AsSpan(5);
        var fragmented = new List<byte>();
        while (!message.IsEmpty)
        {
            var length = Math.Min(fragmentLength, message.Length);
            fragmented.AddRange([0x16, record[1], record[2], (byte)(length >> 8), (byte)length]);
            fragmented.AddRange(message[..length]);
            message = message[length..];
        }

        return [.. fragmented];
    }

    /// <summary>A server_name extension (RFC 6066 §3) with the given (name_type, name) entries.</summary>
    private static byte[] ServerName(params (byte Type, byte[] Name)[] names)
    {
        var list = new List<byte>();
        foreach (var (type, name) in names)
        {
            list.AddRange([type, (byte)(name.Length >> 8), (byte)name.Length, .. name]);
        }

        return [0x00, 0x00, (byte)((list.Count + 2) >> 8), (byte)(list.Count + 2), (byte)(list.Count >> 8), (byte)list.Count, .. list];
    }

    /// <summary>A minimal TLS 1.2-style ClientHello record (RFC 8446 §4.1.2) with the given extensions, or none at all.</summary>
    private static byte[] ClientHello(params byte[][]? extensions)
    {
        var body = new List<byte> { 0x03, 0x03 };
        body.AddRange(new byte[32]);
        body.AddRange([0x00, 0x00, 0x02, 0x13, 0x01, 0x01, 0x00]); // no session ID, TLS_AES_128_GCM_SHA256, null compression
        if (extensions is not null)
        {
            var block = extensions.SelectMany(static e => e).ToArray();
            body.AddRange([(byte)(block.Length >> 8), (byte)block.Length, .. block]);
        }

        var messageLength = 4 + body.Count;
        return
        [
            0x16, 0x03, 0x01, (byte)(messageLength >> 8), (byte)messageLength,
            0x01, 0x00, (byte)(body.Count >> 8), (byte)body.Count, .. body,
        ];
    }
}
