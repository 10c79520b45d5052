using System.Buffers;
using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using Contree.Core.Networking;

namespace Contree.Engine.Runtime.Network.Egress;

/// <summary>
/// Reads the server name a TLS client asks for (RFC 6066 §3 server_name in the ClientHello, RFC 8446 §4.1.2) from the
/// first bytes it sends, so the egress proxy can check it against the allow-list before connecting anywhere. The bytes
/// come from a hostile sandbox: the reader is bounds-checked, never throws and caps the ClientHello at 64 KiB.
/// </summary>
internal static class TlsClientHello
{
    private const byte ContentTypeHandshake = 22;      // RFC 8446 §5.1 ContentType.handshake
    private const byte RecordVersionMajor = 3;         // legacy_record_version 0x03XX (SSL 3.0 and every TLS)
    private const int RecordHeaderLength = 5;          // type(1), legacy_record_version(2), length(2)
    private const int MaxFragmentLength = 1 << 14;     // §5.1: TLSPlaintext.length MUST NOT exceed 2^14
    private const byte HandshakeTypeClientHello = 1;   // §4 HandshakeType.client_hello
    private const int HandshakeHeaderLength = 4;       // msg_type(1), length(3)
    private const int MaxHandshakeLength = 64 * 1024;  // ours: real ClientHellos are a few KiB at most
    private const int RandomLength = 32;
    private const int MaxSessionIdLength = 32;
    private const ushort ExtensionServerName = 0;      // RFC 6066 §3
    private const byte NameTypeHostName = 0;           // RFC 6066 §3 NameType.host_name

    /// <summary>
    /// Classifies what a client sent so far: <see cref="SniResult.NotTls"/> from the first byte that is not a
    /// handshake record (or a record version whose major byte is not 3), <see cref="SniResult.NeedMore"/> until the
    /// ClientHello is complete (it may span several handshake records), then <see cref="SniResult.Found"/> with the
    /// host_name lower-cased and without a trailing dot, <see cref="SniResult.NoServerName"/>, or
    /// <see cref="SniResult.Malformed"/>.
    /// </summary>
    public static SniResult TryReadServerName(ReadOnlySpan<byte> data, out string? serverName)
    {
        serverName = null;
        if (data.IsEmpty)
        {
            return SniResult.NeedMore;
        }

        if (data[0] != ContentTypeHandshake)
        {
            return SniResult.NotTls;
        }

        if (data.Length < 2)
        {
            return SniResult.NeedMore;
        }

        if (data[1] != RecordVersionMajor)
        {
            return SniResult.NotTls;
        }

        if (!TryLocateMessage(data, out var pending, out var messageLength, out var inFirstRecord))
        {
            return pending;
        }

        if (inFirstRecord)
        {
            return ReadClientHello(data.Slice(RecordHeaderLength + HandshakeHeaderLength, messageLength - HandshakeHeaderLength), out serverName);
        }

        var buffer = ArrayPool<byte>.Shared.Rent(messageLength);
        try
        {
            var message = buffer.AsSpan(0, messageLength);
            GatherMessage(data, message);
            return ReadClientHello(message[HandshakeHeaderLength..], out serverName);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Walks the handshake records (RFC 8446 §5.1) until they hold the whole first handshake message. True with its
    /// length (header included) once complete; else false with NeedMore or Malformed. Every record takes at least 6
    /// bytes of <paramref name="data"/> and the message length is capped, so the walk ends.
    /// </summary>
    private static bool TryLocateMessage(ReadOnlySpan<byte> data, out SniResult pending, out int messageLength, out bool inFirstRecord)
    {
        pending = SniResult.Malformed;
        messageLength = -1;
        inFirstRecord = false;
        Span<byte> header = stackalloc byte[HandshakeHeaderLength]; // may itself be split across records
        var headerLength = 0;
        var collected = 0;
        var records = 0;
        var position = 0;
        while (true)
        {
            var available = data.Length - position;
            if (available < RecordHeaderLength)
            {
                // Decide on a partial record header already. §5.1: handshake messages MUST NOT be interleaved with
                // other record types, so the records of the ClientHello are all handshake records.
                if ((available >= 1 && data[position] != ContentTypeHandshake) || (available >= 2 && data[position + 1] != RecordVersionMajor))
                {
                    return false;
                }

                pending = SniResult.NeedMore;
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 3)..]);
            // §5.1: no zero-length handshake fragments, none over 2^14.
            if (data[position] != ContentTypeHandshake || data[position + 1] != RecordVersionMajor || length == 0 || length > MaxFragmentLength)
            {
                return false;
            }

            var fragment = data.Slice(position + RecordHeaderLength, Math.Min(length, available - RecordHeaderLength));
            records++;
            for (var i = 0; headerLength < HandshakeHeaderLength && i < fragment.Length; i++)
            {
                header[headerLength++] = fragment[i];
            }

            if (headerLength > 0 && header[0] != HandshakeTypeClientHello)
            {
                return false;
            }

            if (messageLength < 0 && headerLength == HandshakeHeaderLength)
            {
                var bodyLength = (header[1] << 16) | (header[2] << 8) | header[3];
                if (bodyLength > MaxHandshakeLength - HandshakeHeaderLength)
                {
                    return false;
                }

                messageLength = HandshakeHeaderLength + bodyLength;
            }

            collected += fragment.Length;
            if (messageLength >= 0 && collected >= messageLength)
            {
                inFirstRecord = records == 1;
                return true;
            }

            if (fragment.Length < length)
            {
                pending = SniResult.NeedMore;
                return false;
            }

            position += RecordHeaderLength + length;
        }
    }

    /// <summary>Copies the message <see cref="TryLocateMessage"/> found out of its records.</summary>
    private static void GatherMessage(ReadOnlySpan<byte> data, Span<byte> message)
    {
        var position = 0;
        var copied = 0;
        while (copied < message.Length)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(data[(position + 3)..]);
            var take = Math.Min(Math.Min(length, data.Length - position - RecordHeaderLength), message.Length - copied);
            data.Slice(position + RecordHeaderLength, take).CopyTo(message[copied..]);
            copied += take;
            position += RecordHeaderLength + length;
        }
    }

    /// <summary>The ClientHello body (RFC 8446 §4.1.2), which must be exactly as long as its header says.</summary>
    private static SniResult ReadClientHello(ReadOnlySpan<byte> body, out string? serverName)
    {
        serverName = null;
        // legacy_version(2), random(32), legacy_session_id<0..32>, cipher_suites<2..2^16-2>,
        // legacy_compression_methods<1..2^8-1>, extensions<8..2^16-1>.
        if (body.Length < 2 + RandomLength)
        {
            return SniResult.Malformed;
        }

        var reader = body[(2 + RandomLength)..];
        if (!TryTakeVector8(ref reader, out var sessionId) || sessionId.Length > MaxSessionIdLength
            || !TryTakeVector16(ref reader, out var cipherSuites) || cipherSuites.Length < 2 || cipherSuites.Length % 2 != 0
            || !TryTakeVector8(ref reader, out var compressionMethods) || compressionMethods.IsEmpty)
        {
            return SniResult.Malformed;
        }

        // Before TLS 1.3 the extensions may be absent altogether (RFC 5246 §7.4.1.2).
        if (reader.IsEmpty)
        {
            return SniResult.NoServerName;
        }

        if (!TryTakeVector16(ref reader, out var extensions) || !reader.IsEmpty)
        {
            return SniResult.Malformed;
        }

        string? found = null;
        while (!extensions.IsEmpty)
        {
            // Extension: extension_type(2), extension_data<0..2^16-1> (§4.2).
            if (extensions.Length < 2)
            {
                return SniResult.Malformed;
            }

            var type = BinaryPrimitives.ReadUInt16BigEndian(extensions);
            extensions = extensions[2..];
            if (!TryTakeVector16(ref extensions, out var extensionData))
            {
                return SniResult.Malformed;
            }

            if (type != ExtensionServerName)
            {
                continue;
            }

            // §4.2: there MUST NOT be more than one extension of the same type; two names would be ambiguous.
            if (found is not null || !TryReadServerNameList(extensionData, out found))
            {
                return SniResult.Malformed;
            }
        }

        // The name counts only once the whole ClientHello has been read and found well-formed.
        serverName = found;
        return found is null ? SniResult.NoServerName : SniResult.Found;
    }

    /// <summary>
    /// The server_name extension data (RFC 6066 §3): ServerNameList server_name_list&lt;1..2^16-1&gt; of
    /// { NameType name_type; HostName host_name&lt;1..2^16-1&gt; }. The list MUST NOT hold two names of one type, and
    /// host_name is the only type defined: another type's layout is unknown, so it is refused rather than guessed.
    /// </summary>
    private static bool TryReadServerNameList(ReadOnlySpan<byte> extensionData, [NotNullWhen(true)] out string? serverName)
    {
        serverName = null;
        if (!TryTakeVector16(ref extensionData, out var list) || !extensionData.IsEmpty || list.IsEmpty)
        {
            return false;
        }

        while (!list.IsEmpty)
        {
            var nameType = list[0];
            list = list[1..];
            if (nameType != NameTypeHostName || serverName is not null
                || !TryTakeVector16(ref list, out var hostName) || !HostNames.TryNormalize(hostName, out var host))
            {
                serverName = null;
                return false;
            }

            serverName = host;
        }

        return serverName is not null;
    }

    // Variable-length vectors with a one- or two-byte length (RFC 8446 §3.4).
    private static bool TryTakeVector8(ref ReadOnlySpan<byte> reader, out ReadOnlySpan<byte> vector)
    {
        vector = default;
        if (reader.IsEmpty || reader.Length - 1 < reader[0])
        {
            return false;
        }

        vector = reader.Slice(1, reader[0]);
        reader = reader[(1 + vector.Length)..];
        return true;
    }

    private static bool TryTakeVector16(ref ReadOnlySpan<byte> reader, out ReadOnlySpan<byte> vector)
    {
        vector = default;
        if (reader.Length < 2)
        {
            return false;
        }

        int length = BinaryPrimitives.ReadUInt16BigEndian(reader);
        if (reader.Length - 2 < length)
        {
            return false;
        }

        vector = reader.Slice(2, length);
        reader = reader[(2 + length)..];
        return true;
    }
}
