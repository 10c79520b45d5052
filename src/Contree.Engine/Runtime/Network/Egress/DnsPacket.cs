using System.Buffers.Binary;
using System.Net;

namespace Contree.Engine.Runtime.Network.Egress;

/// <summary>
/// The DNS messages (RFC 1035 §4.1) of the per-sandbox DNS filter: it reads the sandbox's query, answers it itself
/// (an error, or addresses it resolved) or asks upstream. Queries come from hostile programs and responses from the
/// network, so every reader is bounds-checked, returns false instead of throwing, and follows compression pointers
/// (§4.1.4) only backwards and a bounded number of times.
/// </summary>
internal static class DnsPacket
{
    public const ushort TypeA = 1;
    public const ushort TypeAaaa = 28;
    public const ushort ClassIn = 1;

    // RCODEs (RFC 1035 §4.1.1).
    public const byte RcodeNoError = 0;
    public const byte RcodeServerFailure = 2;
    public const byte RcodeNameError = 3;
    public const byte RcodeRefused = 5;

    private const int HeaderLength = 12;
    private const int MaxLabelLength = 63;
    private const int MaxWireNameLength = 255;   // §2.3.4, length octets and the root's zero included
    private const int MaxDottedNameLength = 253; // the same limit as text: no trailing dot, no root label
    private const int MaxPointerJumps = 64;

    /// <summary>
    /// Reads the header and the single question of a standard query (QR=0, OPCODE=0, QDCOUNT=1). False for anything
    /// malformed, a compression pointer in the question (no prior name to point to), a label byte outside printable
    /// ASCII or a '.' inside a label (the dotted name could not say where the label ends), or a name over 253 characters.
    /// </summary>
    public static bool TryReadQuestion(ReadOnlySpan<byte> message, out DnsQuestion question) => TryReadQuestion(message, out question, out _);

    /// <summary>
    /// The response to a query <see cref="TryReadQuestion(ReadOnlySpan{byte}, out DnsQuestion)"/> accepted: same ID,
    /// QR=1, OPCODE 0, AA=0, RD copied, RA=1, the RCODE, the question copied byte for byte and no records (an EDNS OPT
    /// record of the query is dropped: RFC 6891 §7 lets a responder without EDNS answer without one).
    /// </summary>
    public static byte[] Answer(ReadOnlySpan<byte> query, byte rcode)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(rcode, (byte)0x0F);
        if (!TryReadQuestion(query, out _, out var questionEnd))
        {
            throw new ArgumentException("Not a standard DNS query with one question.", nameof(query));
        }

        var answer = query[..questionEnd].ToArray();
        // §4.1.1 flags: byte 2 is QR|OPCODE(4)|AA|TC|RD, byte 3 is RA|Z(3)|RCODE(4).
        answer[2] = (byte)(0x80 | (query[2] & 0x01));
        answer[3] = (byte)(0x80 | rcode);
        answer.AsSpan(6, 6).Clear(); // ANCOUNT, NSCOUNT, ARCOUNT; QDCOUNT stays 1
        return answer;
    }

    /// <summary>
    /// A standard query (RD=1, class IN) for a dotted name, with or without the trailing dot ("" or "." is the root).
    /// Throws <see cref="ArgumentException"/> for an invalid name: callers pass names they validated.
    /// </summary>
    public static byte[] Query(ushort id, string name, ushort type)
    {
        var text = name.AsSpan();
        if (text.EndsWith('.'))
        {
            text = text[..^1];
        }

        if (text.Length > MaxDottedNameLength)
        {
            throw new ArgumentException($"DNS name longer than {MaxDottedNameLength} characters.", nameof(name));
        }

        // One length octet per label replaces each dot, plus the first label's and the root's: text + 2, or 1 for the root.
        var nameLength = text.IsEmpty ? 1 : text.Length + 2;
        var message = new byte[HeaderLength + nameLength + 4];
        BinaryPrimitives.WriteUInt16BigEndian(message, id);
        message[2] = 0x01; // RD
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(4), 1); // QDCOUNT

        var offset = HeaderLength;
        while (!text.IsEmpty)
        {
            var dot = text.IndexOf('.');
            var label = dot < 0 ? text : text[..dot];
            if (label.IsEmpty || label.Length > MaxLabelLength)
            {
                throw new ArgumentException($"DNS name '{name}' has an empty or over-long label.", nameof(name));
            }

            message[offset++] = (byte)label.Length;
            foreach (var c in label)
            {
                if (!IsLabelByte(c))
                {
                    throw new ArgumentException($"DNS name '{name}' has a character outside printable ASCII.", nameof(name));
                }

                message[offset++] = (byte)c;
            }

            text = dot < 0 ? [] : text[(dot + 1)..];
            if (dot >= 0 && text.IsEmpty)
            {
                throw new ArgumentException($"DNS name '{name}' has an empty label.", nameof(name));
            }
        }

        message[offset++] = 0; // root
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(offset), type);
        BinaryPrimitives.WriteUInt16BigEndian(message.AsSpan(offset + 2), ClassIn);
        return message;
    }

    /// <summary>
    /// Reads a response (QR=1, OPCODE 0) with the given ID: skips its questions, walks its ANCOUNT answers (RFC 1035
    /// §4.1.3) and adds the address of every A record of class IN to <paramref name="addresses"/>. False, with nothing
    /// added, when the ID or QR do not match or the message is malformed. A response with an error RCODE has no
    /// answers and reads as true with none: see <see cref="ReadRcode"/>.
    /// </summary>
    public static bool TryReadAddresses(ReadOnlySpan<byte> response, ushort expectedId, List<IPAddress> addresses)
    {
        var before = addresses.Count;
        if (TryReadAnswers(response, expectedId, addresses))
        {
            return true;
        }

        addresses.RemoveRange(before, addresses.Count - before);
        return false;
    }

    /// <summary>The RCODE of a response (RFC 1035 §4.1.1), or SERVFAIL when the message is shorter than a header.</summary>
    public static byte ReadRcode(ReadOnlySpan<byte> response) => response.Length < HeaderLength ? RcodeServerFailure : (byte)(response[3] & 0x0F);

    private static bool TryReadQuestion(ReadOnlySpan<byte> message, out DnsQuestion question, out int end)
    {
        question = default;
        end = 0;
        // QR (0x80) and OPCODE (0x78) of byte 2 must be zero: a standard query (§4.1.1).
        if (message.Length < HeaderLength || (message[2] & 0xF8) != 0 || ReadUInt16(message, 4) != 1)
        {
            return false;
        }

        Span<char> name = stackalloc char[MaxDottedNameLength];
        var length = 0;
        var offset = HeaderLength;
        while (true)
        {
            if (offset >= message.Length)
            {
                return false;
            }

            int labelLength = message[offset++];
            if (labelLength == 0)
            {
                break;
            }

            // 64..255 are pointers (11 prefix) and the reserved 01 and 10 prefixes (§4.1.4): none belongs in a query.
            if (labelLength > MaxLabelLength || message.Length - offset < labelLength)
            {
                return false;
            }

            var dot = length == 0 ? 0 : 1;
            if (length + dot + labelLength > MaxDottedNameLength)
            {
                return false;
            }

            if (dot == 1)
            {
                name[length++] = '.';
            }

            foreach (var b in message.Slice(offset, labelLength))
            {
                if (!IsLabelByte((char)b))
                {
                    return false;
                }

                name[length++] = (char)(b is >= (byte)'A' and <= (byte)'Z' ? b + ('a' - 'A') : b);
            }

            offset += labelLength;
        }

        if (message.Length - offset < 4)
        {
            return false;
        }

        question = new DnsQuestion(ReadUInt16(message, 0), length == 0 ? "" : new string(name[..length]), ReadUInt16(message, offset), ReadUInt16(message, offset + 2));
        end = offset + 4;
        return true;
    }

    private static bool TryReadAnswers(ReadOnlySpan<byte> response, ushort expectedId, List<IPAddress> addresses)
    {
        // QR must be 1 and OPCODE 0 (§4.1.1).
        if (response.Length < HeaderLength || ReadUInt16(response, 0) != expectedId || (response[2] & 0xF8) != 0x80)
        {
            return false;
        }

        var offset = HeaderLength;
        // Every question and record takes at least 5 bytes, so these loops end with the message even for counts of 65535.
        for (int i = 0, questions = ReadUInt16(response, 4); i < questions; i++)
        {
            if (!TrySkipName(response, ref offset) || response.Length - offset < 4)
            {
                return false;
            }

            offset += 4; // QTYPE, QCLASS (§4.1.2)
        }

        for (int i = 0, answers = ReadUInt16(response, 6); i < answers; i++)
        {
            // §4.1.3: NAME, TYPE(2), CLASS(2), TTL(4), RDLENGTH(2), RDATA.
            if (!TrySkipName(response, ref offset) || response.Length - offset < 10)
            {
                return false;
            }

            var type = ReadUInt16(response, offset);
            var @class = ReadUInt16(response, offset + 2);
            int dataLength = ReadUInt16(response, offset + 8);
            offset += 10;
            if (response.Length - offset < dataLength)
            {
                return false;
            }

            if (type == TypeA && @class == ClassIn && dataLength == 4)
            {
                addresses.Add(new IPAddress(response.Slice(offset, 4)));
            }

            offset += dataLength;
        }

        return true;
    }

    /// <summary>
    /// Moves past a name that may end in a compression pointer (§4.1.4). A pointer must land before the labels read
    /// since the last jump (a prior occurrence), so every jump goes strictly backwards and the walk ends; the jump cap
    /// and the 255-byte name limit bound the work further.
    /// </summary>
    private static bool TrySkipName(ReadOnlySpan<byte> message, ref int offset)
    {
        var position = offset;
        var segmentStart = offset;
        var end = -1;
        var jumps = 0;
        var wireLength = 1; // the root's zero octet
        while (position < message.Length)
        {
            int length = message[position];
            if (length == 0)
            {
                offset = end < 0 ? position + 1 : end;
                return true;
            }

            if ((length & 0xC0) == 0xC0)
            {
                if (position + 1 >= message.Length)
                {
                    return false;
                }

                var target = ((length & 0x3F) << 8) | message[position + 1];
                if (target < HeaderLength || target >= segmentStart || ++jumps > MaxPointerJumps)
                {
                    return false;
                }

                if (end < 0)
                {
                    end = position + 2;
                }

                position = segmentStart = target;
                continue;
            }

            // The 01 and 10 prefixes are reserved (§4.1.4; RFC 6891 §5 retired the extended label types).
            wireLength += 1 + length;
            if (length > MaxLabelLength || wireLength > MaxWireNameLength)
            {
                return false;
            }

            position += 1 + length;
        }

        return false;
    }

    // Printable ASCII but space and '.'.
    private static bool IsLabelByte(char c) => c is > ' ' and < '\x7F' and not '.';

    private static ushort ReadUInt16(ReadOnlySpan<byte> message, int offset) => BinaryPrimitives.ReadUInt16BigEndian(message[offset..]);
}
