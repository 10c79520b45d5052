using System.Text.Json.Serialization;

namespace Contree.Core.Models;

/// <summary>
/// stdin, stdout or stderr bytes on the wire (the Contree API's "Stream"): ASCII text as is, anything else as base64.
/// </summary>
/// <remarks>
/// Both backends return an instance's output as an <b>inline view</b>: all of it when it fits in
/// <see cref="ViewHeadBytes"/> + <see cref="ViewTailBytes"/>, else its first <see cref="ViewHeadBytes"/> followed by
/// its last <see cref="ViewTailBytes"/>, with <see cref="OmittedBytes"/> saying how much lies between. The whole kept
/// output is read by range with <see cref="IContreeBackend.ReadOperationOutputAsync"/>, so no caller ever holds it all.
/// </remarks>
public sealed record StreamPayload
{
    public const string Ascii = "ascii";
    public const string Base64 = "base64";

    /// <summary>Bytes of the start of an output kept in its inline view: 512 KiB.</summary>
    public const int ViewHeadBytes = 512 * 1024;

    /// <summary>Bytes of the end of an output kept in its inline view: 512 KiB.</summary>
    public const int ViewTailBytes = 512 * 1024;

    public static StreamPayload Empty { get; } = new() { Value = "" };

    public required string Value { get; init; }

    /// <summary>"ascii" or "base64".</summary>
    public string Encoding { get; set; } = Ascii;

    /// <summary>True when the producer cut the data at its size limit.</summary>
    public bool Truncated { get; init; }

    /// <summary>
    /// Bytes of the kept output left out of <see cref="Value"/>, between its first <see cref="OmittedAt"/> bytes and
    /// the rest; 0 when Value holds all of it. Not written when 0, so the Contree wire format is unchanged (the /v1
    /// server writes the whole output instead of a view).
    /// </summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long OmittedBytes { get; init; }

    /// <summary>Where the omitted bytes were, as an offset into Value's bytes (the length of the head).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)]
    public long OmittedAt { get; init; }

    /// <summary>Bytes of the whole kept output: those in Value plus the omitted ones.</summary>
    [JsonIgnore]
    public long Size => ByteLength + OmittedBytes;

    /// <summary>Bytes in <see cref="Value"/> once decoded, computed without decoding.</summary>
    [JsonIgnore]
    public long ByteLength
    {
        get
        {
            if (Encoding != Base64)
            {
                return System.Text.Encoding.UTF8.GetByteCount(Value);
            }

            var padding = Value.EndsWith("==", StringComparison.Ordinal) ? 2 : Value.EndsWith('=') ? 1 : 0;
            return Value.Length / 4 * 3 - padding;
        }
    }

    /// <summary>The raw bytes: base64-decoded, or the ASCII value.</summary>
    public byte[] ToBytes() =>
        Encoding == Base64 ? Convert.FromBase64String(Value) : System.Text.Encoding.UTF8.GetBytes(Value);

    /// <summary>The text: base64 content is decoded as UTF-8 with invalid sequences replaced.</summary>
    public string ToText() => Encoding == Base64 ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Value)) : Value;

    /// <summary>
    /// The bytes at <paramref name="offset"/> of the whole kept output when this view holds them all (up to
    /// <paramref name="length"/>, fewer at the end), or null when part of the range was omitted from the view.
    /// </summary>
    public byte[]? TrySlice(long offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        var size = Size;
        var count = (int)Math.Clamp(size - offset, 0, length);
        if (count == 0)
        {
            return [];
        }

        var bytes = ToBytes();
        if (OmittedBytes == 0)
        {
            return bytes.AsSpan((int)offset, count).ToArray();
        }

        if (offset + count <= OmittedAt)
        {
            return bytes.AsSpan((int)offset, count).ToArray();
        }

        var tailStart = OmittedAt + OmittedBytes;
        return offset >= tailStart ? bytes.AsSpan((int)(offset - OmittedBytes), count).ToArray() : null;
    }

    /// <summary>Encodes bytes, cutting them at <paramref name="maxSize"/> when 0 &lt; maxSize &lt; length.</summary>
    public static StreamPayload FromBytes(ReadOnlySpan<byte> data, long maxSize = 0, bool truncated = false)
    {
        if (maxSize > 0 && data.Length > maxSize)
        {
            data = data[..(int)maxSize];
            truncated = true;
        }

        return System.Text.Ascii.IsValid(data)
            ? new StreamPayload { Value = System.Text.Encoding.ASCII.GetString(data), Encoding = Ascii, Truncated = truncated }
            : new StreamPayload { Value = Convert.ToBase64String(data), Encoding = Base64, Truncated = truncated };
    }

    /// <summary>
    /// The inline view of an output whose first bytes are <paramref name="head"/> and last bytes
    /// <paramref name="tail"/>, with <paramref name="omitted"/> bytes between them (0: head and tail are all of it).
    /// </summary>
    public static StreamPayload View(ReadOnlySpan<byte> head, ReadOnlySpan<byte> tail, long omitted, bool truncated)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(omitted);
        var bytes = new byte[head.Length + tail.Length];
        head.CopyTo(bytes);
        tail.CopyTo(bytes.AsSpan(head.Length));
        var payload = FromBytes(bytes, truncated: truncated);
        return omitted == 0 ? payload : payload with { OmittedBytes = omitted, OmittedAt = head.Length };
    }

    /// <summary>The inline view of a whole output held in memory (the cloud client's case).</summary>
    public static StreamPayload ViewOf(ReadOnlySpan<byte> data, bool truncated)
    {
        if (data.Length <= ViewHeadBytes + ViewTailBytes)
        {
            return FromBytes(data, truncated: truncated);
        }

        return View(data[..ViewHeadBytes], data[^ViewTailBytes..], data.Length - ViewHeadBytes - ViewTailBytes, truncated);
    }

    /// <summary>
    /// This whole output as an inline view (itself when it is short or already a view); ASCII text is cut without
    /// decoding it.
    /// </summary>
    public StreamPayload ToView()
    {
        if (OmittedBytes > 0 || ByteLength <= ViewHeadBytes + ViewTailBytes)
        {
            return this;
        }

        if (Encoding != Base64 && System.Text.Ascii.IsValid(Value))
        {
            return this with
            {
                Value = string.Concat(Value.AsSpan(0, ViewHeadBytes), Value.AsSpan(Value.Length - ViewTailBytes)),
                OmittedBytes = Value.Length - ViewHeadBytes - ViewTailBytes,
                OmittedAt = ViewHeadBytes,
            };
        }

        return ViewOf(ToBytes(), Truncated);
    }

    /// <summary>Bytes at <paramref name="offset"/> of this payload's own bytes (fewer at the end); ASCII is not decoded whole.</summary>
    public byte[] Slice(long offset, int length)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(length);
        if (Encoding != Base64 && System.Text.Ascii.IsValid(Value))
        {
            var count = (int)Math.Clamp(Value.Length - offset, 0, length);
            return count == 0 ? [] : System.Text.Encoding.ASCII.GetBytes(Value.AsSpan((int)offset, count).ToString());
        }

        var bytes = ToBytes();
        var n = (int)Math.Clamp(bytes.Length - offset, 0, length);
        return n == 0 ? [] : bytes.AsSpan((int)offset, n).ToArray();
    }

    /// <summary>Encodes text as its UTF-8 bytes (used for stdin).</summary>
    public static StreamPayload FromText(string? text) =>
        string.IsNullOrEmpty(text) ? Empty : FromBytes(System.Text.Encoding.UTF8.GetBytes(text));
}
