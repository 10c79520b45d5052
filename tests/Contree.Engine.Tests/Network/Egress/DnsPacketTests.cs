using System.Net;
using Contree.Engine.Runtime.Network.Egress;

namespace Contree.Engine.Tests.Network.Egress;

public sealed class DnsPacketTests
{
    // A query for files.test A IN as dig sends it (RD and AD set, an EDNS OPT record with a cookie, RFC 6891 §6.1.2,
    // RFC 7873 §4).
    private static readonly byte[] DigQuery =
    [
        0xBE, 0xEF, 0x01, 0x20, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x01,
        0x05, (byte)'f', (byte)'i', (byte)'l', (byte)'e', (byte)'s', 0x04, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0x00,
        0x00, 0x01, 0x00, 0x01,
        0x00, 0x00, 0x29, 0x04, 0xD0, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0C, 0x00, 0x0A, 0x00, 0x08,
        0x1C, 0x2B, 0x3A, 0x49, 0x58, 0x67, 0x76, 0x85,
    ];

    // The response in the manner of RFC 1035 §4.1.4: files.test is a CNAME for cdn.test, which has two A records and
    // one AAAA record. Offsets: the question name at 12 ("test" at 18), the CNAME's RDATA "cdn" at 40.
    private static readonly byte[] CompressedResponse =
    [
        0xBE, 0xEF, 0x81, 0x80, 0x00, 0x01, 0x00, 0x04, 0x00, 0x00, 0x00, 0x00,
        0x05, (byte)'f', (byte)'i', (byte)'l', (byte)'e', (byte)'s', 0x04, (byte)'t', (byte)'e', (byte)'s', (byte)'t', 0x00,
        0x00, 0x01, 0x00, 0x01,
        // files.test CNAME cdn.test: the owner points to 12, the target is "cdn" then a pointer to "test" at 18.
        0xC0, 0x0C, 0x00, 0x05, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2C, 0x00, 0x06,
        0x03, (byte)'c', (byte)'d', (byte)'n', 0xC0, 0x12,
        // cdn.test A 192.0.2.10 and A 192.0.2.11: the owner points to 40.
        0xC0, 0x28, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x04, 192, 0, 2, 10,
        0xC0, 0x28, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x04, 192, 0, 2, 11,
        // cdn.test AAAA 2001:db8::1, which is not an address of the IPv4-only run.
        0xC0, 0x28, 0x00, 0x1C, 0x00, 0x01, 0x00, 0x00, 0x00, 0x3C, 0x00, 0x10,
        0x20, 0x01, 0x0D, 0xB8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x01,
    ];

    private static readonly IPAddress Sentinel = IPAddress.Parse("203.0.113.99");

    [Fact]
    public void TryReadQuestion_DigQueryWithEdns_ReadsTheQuestion()
    {
        Assert.True(DnsPacket.TryReadQuestion(DigQuery, out var question));

        Assert.Equal(new DnsQuestion(0xBEEF, "files.test", DnsPacket.TypeA, DnsPacket.ClassIn), question);
    }

    [Theory]
    [InlineData("files.test", DnsPacket.TypeA)]
    [InlineData("Files.TEST.", DnsPacket.TypeAaaa)]
    [InlineData("_dmarc.a-b.example", 16)]
    public void Query_RoundTripsThroughTryReadQuestion(string name, ushort type)
    {
        var query = DnsPacket.Query(0x1234, name, type);

        Assert.True(DnsPacket.TryReadQuestion(query, out var question));
        Assert.Equal(new DnsQuestion(0x1234, name.TrimEnd('.').ToLowerInvariant(), type, DnsPacket.ClassIn), question);
        Assert.Equal(0x01, query[2]); // RD, QR=0, OPCODE 0
        Assert.Equal(0x00, query[3]);
        Assert.Equal(12 + name.TrimEnd('.').Length + 2 + 4, query.Length);
    }

    [Fact]
    public void Query_WireFormat_IsRfc1035()
    {
        var query = DnsPacket.Query(0xBEEF, "files.test", DnsPacket.TypeA);

        Assert.Equal(DigQuery[12..28], query[12..]);
        Assert.Equal([0xBE, 0xEF, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0], query[..12]);
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    public void Query_RootName_IsOneZeroOctet(string name)
    {
        var query = DnsPacket.Query(7, name, DnsPacket.TypeA);

        Assert.Equal(12 + 1 + 4, query.Length);
        Assert.True(DnsPacket.TryReadQuestion(query, out var question));
        Assert.Equal("", question.Name);
    }

    [Theory]
    [InlineData("a..b")]
    [InlineData(".a")]
    [InlineData("a..")]
    [InlineData("a b.test")]
    [InlineData("ä.test")]
    [InlineData("tab\t.test")]
    public void Query_InvalidName_Throws(string name) => Assert.Throws<ArgumentException>(() => DnsPacket.Query(1, name, DnsPacket.TypeA));

    [Fact]
    public void Query_OverlongLabelOrName_Throws()
    {
        Assert.Throws<ArgumentException>(() => DnsPacket.Query(1, new string('a', 64) + ".test", DnsPacket.TypeA));
        Assert.Throws<ArgumentException>(() => DnsPacket.Query(1, LongName(254), DnsPacket.TypeA));
        Assert.NotNull(DnsPacket.Query(1, new string('a', 63) + ".test", DnsPacket.TypeA));
    }

    [Fact]
    public void TryReadQuestion_NameOf253Characters_IsTheLimit()
    {
        Assert.True(DnsPacket.TryReadQuestion(DnsPacket.Query(1, LongName(253), DnsPacket.TypeA), out var question));
        Assert.Equal(253, question.Name.Length);

        // 254 characters cannot come from Query: write the labels by hand.
        var tooLong = BuildQuery(LongName(254).Split('.'));
        Assert.False(DnsPacket.TryReadQuestion(tooLong, out _));
    }

    [Fact]
    public void TryReadQuestion_RootName_IsEmpty()
    {
        byte[] query = [0, 9, 0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0, 0x00, 0x00, 0x02, 0x00, 0x01];

        Assert.True(DnsPacket.TryReadQuestion(query, out var question));
        Assert.Equal(new DnsQuestion(9, "", 2, 1), question);
    }

    [Theory]
    [InlineData(2, 0x81)] // QR=1: a response
    [InlineData(2, 0x09)] // OPCODE 1 (IQUERY)
    [InlineData(2, 0x11)] // OPCODE 2 (STATUS)
    [InlineData(5, 0x00)] // QDCOUNT 0
    [InlineData(5, 0x02)] // QDCOUNT 2
    [InlineData(4, 0x01)] // QDCOUNT 257
    [InlineData(12, 0xC0)] // a compression pointer where the name starts
    [InlineData(12, 0x40)] // reserved label type 01
    [InlineData(12, 0x80)] // reserved label type 10
    [InlineData(12, 0x3F)] // a label running past the end
    [InlineData(13, 0x20)] // space in a label
    [InlineData(13, 0x7F)] // DEL in a label
    [InlineData(13, 0xC3)] // non-ASCII in a label
    [InlineData(13, 0x00)] // NUL in a label
    [InlineData(13, (byte)'.')] // a dot inside a label
    [InlineData(23, 0x3F)] // the root label replaced: the name runs past the end
    public void TryReadQuestion_OneByteChanged_False(int offset, byte value)
    {
        var query = DigQuery.ToArray();
        query[offset] = value;

        Assert.False(DnsPacket.TryReadQuestion(query, out _));
    }

    [Fact]
    public void TryReadQuestion_EveryTruncation_False()
    {
        for (var length = 0; length < 28; length++)
        {
            Assert.False(DnsPacket.TryReadQuestion(DigQuery.AsSpan(0, length), out _), $"length {length}");
        }

        Assert.True(DnsPacket.TryReadQuestion(DigQuery.AsSpan(0, 28), out _));
    }

    [Fact]
    public void Answer_DigQuery_CopiesIdAndQuestionAndDropsEdns()
    {
        Assert.True(DnsPacket.TryReadQuestion(DigQuery, out _));

        var answer = DnsPacket.Answer(DigQuery, DnsPacket.RcodeNameError);

        byte[] header = [0xBE, 0xEF, 0x81, 0x83, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00];
        byte[] expected = [.. header, .. DigQuery[12..28]];
        Assert.Equal(expected, answer);
        Assert.Equal(DnsPacket.RcodeNameError, DnsPacket.ReadRcode(answer));
    }

    [Fact]
    public void Answer_QueryWithoutRd_AnswersWithoutRd()
    {
        var query = DnsPacket.Query(42, "files.test", DnsPacket.TypeAaaa);
        query[2] = 0x00;

        var answer = DnsPacket.Answer(query, DnsPacket.RcodeRefused);

        Assert.Equal(0x80, answer[2]);
        Assert.Equal(0x85, answer[3]);
        Assert.Equal(query.Length, answer.Length);
        Assert.Equal(query[12..], answer[12..]);
    }

    [Fact]
    public void Answer_ReadsBackAsAResponseWithoutAddresses()
    {
        var answer = DnsPacket.Answer(DigQuery, DnsPacket.RcodeNoError);
        var addresses = new List<IPAddress>();

        Assert.True(DnsPacket.TryReadAddresses(answer, 0xBEEF, addresses));
        Assert.Empty(addresses);
        Assert.False(DnsPacket.TryReadQuestion(answer, out _)); // QR=1
    }

    [Fact]
    public void Answer_InvalidQueryOrRcode_Throws()
    {
        Assert.Throws<ArgumentException>(() => DnsPacket.Answer(DigQuery.AsSpan(0, 20), 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => DnsPacket.Answer(DigQuery, 16));
    }

    [Fact]
    public void TryReadAddresses_CompressedResponse_ReadsTheARecordsOnly()
    {
        var addresses = new List<IPAddress> { Sentinel };

        Assert.True(DnsPacket.TryReadAddresses(CompressedResponse, 0xBEEF, addresses));

        Assert.Equal([Sentinel, IPAddress.Parse("192.0.2.10"), IPAddress.Parse("192.0.2.11")], addresses);
        Assert.Equal(DnsPacket.RcodeNoError, DnsPacket.ReadRcode(CompressedResponse));
    }

    [Fact]
    public void TryReadAddresses_OtherIdOrAQuery_False()
    {
        var addresses = new List<IPAddress>();

        Assert.False(DnsPacket.TryReadAddresses(CompressedResponse, 0xBEEE, addresses));
        Assert.False(DnsPacket.TryReadAddresses(DigQuery, 0xBEEF, addresses));
        Assert.Empty(addresses);
    }

    [Fact]
    public void TryReadAddresses_EveryTruncation_FalseAndAddsNothing()
    {
        for (var length = 0; length < CompressedResponse.Length; length++)
        {
            var addresses = new List<IPAddress> { Sentinel };

            Assert.False(DnsPacket.TryReadAddresses(CompressedResponse.AsSpan(0, length), 0xBEEF, addresses), $"length {length}");
            Assert.Equal([Sentinel], addresses);
        }
    }

    [Theory]
    [InlineData(28, 0xC0, 29, 0x1C)]  // the first answer's owner points to itself
    [InlineData(28, 0xC0, 29, 0x28)]  // ... forwards, to the CNAME's RDATA
    [InlineData(28, 0xC0, 29, 0x00)]  // ... into the header
    [InlineData(44, 0xC0, 45, 0x28)]  // the CNAME target "cdn" then a pointer to its own start, where the next owner points
    [InlineData(28, 0x40, 29, 0x0C)]  // a reserved label type
    [InlineData(38, 0x00, 39, 0xFF)]  // the CNAME's RDLENGTH runs past the end
    [InlineData(6, 0x00, 7, 0x05)]    // ANCOUNT one more than there are records
    public void TryReadAddresses_BadNameOrLength_FalseAndAddsNothing(int offset, byte value, int offset2, byte value2)
    {
        var response = CompressedResponse.ToArray();
        response[offset] = value;
        response[offset2] = value2;
        var addresses = new List<IPAddress>();

        Assert.False(DnsPacket.TryReadAddresses(response, 0xBEEF, addresses));
        Assert.Empty(addresses);
    }

    [Fact]
    public void TryReadAddresses_PointerLoopBetweenTwoNames_False()
    {
        // Two names that point at each other: the question's at 12 is "a" then a pointer to 20, the answer's at 20 is
        // "b" then a pointer to 12. Following both would never end; backwards-only pointers refuse the forward one.
        byte[] response =
        [
            0x00, 0x01, 0x81, 0x80, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
            0x01, (byte)'a', 0xC0, 0x14, 0x00, 0x01, 0x00, 0x01,
            0x01, (byte)'b', 0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x04, 10, 0, 0, 1,
        ];

        Assert.False(DnsPacket.TryReadAddresses(response, 1, []));
    }

    [Theory]
    [InlineData(63, true)]
    [InlineData(64, false)]
    public void TryReadAddresses_PointerChain_FollowsAtMost64Jumps(int chain, bool expected)
    {
        // An unrelated record whose RDATA is a root label followed by a chain of pointers, each to the one before;
        // the A record's owner points to the last one: chain + 1 jumps, every one backwards.
        var rdata = new List<byte> { 0x00 };
        var previous = 12 + 1 + 10; // the root octet: after the first record's root owner and fixed fields
        for (var i = 0; i < chain; i++)
        {
            var here = 12 + 1 + 10 + rdata.Count;
            rdata.AddRange([(byte)(0xC0 | (previous >> 8)), (byte)previous]);
            previous = here;
        }

        List<byte> response = [0x00, 0x02, 0x81, 0x80, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00, 0x00];
        response.AddRange([0x00, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, (byte)(rdata.Count >> 8), (byte)rdata.Count]);
        response.AddRange(rdata);
        response.AddRange([(byte)(0xC0 | (previous >> 8)), (byte)previous, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x04, 10, 0, 0, 7]);
        var addresses = new List<IPAddress>();

        IPAddress[] read = expected ? [IPAddress.Parse("10.0.0.7")] : [];

        Assert.Equal(expected, DnsPacket.TryReadAddresses(response.ToArray(), 2, addresses));
        Assert.Equal(read, addresses);
    }

    [Fact]
    public void TryReadAddresses_NameOver255Octets_False()
    {
        // A question name of 255 octets with the root (4 labels of 50, one of 49) and one label more in front of a
        // pointer to it in the answer.
        var question = BuildQuery([.. Enumerable.Repeat(new string('x', 50), 4), new string('x', 49)]);
        Assert.Equal(12 + 255 + 4, question.Length);
        List<byte> response = [.. question];
        response[2] = 0x81;
        response[3] = 0x80;
        response[7] = 1;
        response.AddRange([0x01, (byte)'y', 0xC0, 0x0C, 0x00, 0x01, 0x00, 0x01, 0, 0, 0, 0, 0x00, 0x04, 10, 0, 0, 1]);

        Assert.False(DnsPacket.TryReadAddresses(response.ToArray(), 0, []));

        // Without the extra label the same answer reads.
        response.RemoveRange(question.Length, 2);
        var addresses = new List<IPAddress>();
        Assert.True(DnsPacket.TryReadAddresses(response.ToArray(), 0, addresses));
        Assert.Single(addresses);
    }

    [Fact]
    public void TryReadAddresses_ClassOrLengthNotA_Skipped()
    {
        var response = CompressedResponse.ToArray();
        response[51] = 0x03; // the first A record's CLASS: CH
        var addresses = new List<IPAddress>();

        Assert.True(DnsPacket.TryReadAddresses(response, 0xBEEF, addresses));
        Assert.Equal([IPAddress.Parse("192.0.2.11")], addresses);
    }

    [Fact]
    public void ReadRcode_ShortMessage_ServerFailure()
    {
        Assert.Equal(DnsPacket.RcodeServerFailure, DnsPacket.ReadRcode([0xBE, 0xEF, 0x81]));
        Assert.Equal(DnsPacket.RcodeRefused, DnsPacket.ReadRcode([0xBE, 0xEF, 0x81, 0x85, 0, 0, 0, 0, 0, 0, 0, 0]));
    }

    [Fact]
    public void Readers_RandomAndMutatedInput_NeverThrow()
    {
        var random = new Random(1035);
        var addresses = new List<IPAddress>();
        for (var i = 0; i < 20_000; i++)
        {
            var source = i % 2 == 0 ? CompressedResponse : DigQuery;
            var message = i % 5 == 0 ? new byte[random.Next(0, 600)] : source.ToArray();
            if (i % 5 == 0)
            {
                random.NextBytes(message);
            }
            else
            {
                for (var flips = random.Next(1, 6); flips > 0; flips--)
                {
                    message[random.Next(message.Length)] = (byte)random.Next(256);
                }
            }

            DnsPacket.TryReadQuestion(message, out _);
            DnsPacket.TryReadAddresses(message, (ushort)((message.Length > 1 ? message[0] << 8 | message[1] : 0)), addresses);
            DnsPacket.ReadRcode(message);
        }
    }

    private static string LongName(int length)
    {
        // Labels of 63 with dots between, cut to the length (the last label at least 1 character).
        var name = string.Join('.', Enumerable.Repeat(new string('a', 63), 5))[..length];
        return name.EndsWith('.') ? name[..^2] + "bb" : name;
    }

    private static byte[] BuildQuery(string[] labels)
    {
        List<byte> query = [0x00, 0x00, 0x01, 0x00, 0x00, 0x01, 0, 0, 0, 0, 0, 0];
        foreach (var label in labels)
        {
            query.Add((byte)label.Length);
            query.AddRange(label.Select(static c => (byte)c));
        }

        query.AddRange([0x00, 0x00, 0x01, 0x00, 0x01]);
        return [.. query];
    }
}
