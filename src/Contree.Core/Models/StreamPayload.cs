namespace Contree.Core.Models;

/// <summary>
/// stdin, stdout or stderr bytes on the wire (spec 1.4 "Stream"): ASCII text as is, anything else as base64.
/// </summary>
public sealed record StreamPayload
{
    public const string Ascii = "ascii";
    public const string Base64 = "base64";

    public static StreamPayload Empty { get; } = new() { Value = "" };

    public required string Value { get; init; }

    /// <summary>"ascii" or "base64".</summary>
    public string Encoding { get; set; } = Ascii;

    /// <summary>True when the producer cut the data at its size limit.</summary>
    public bool Truncated { get; init; }

    /// <summary>The raw bytes: base64-decoded, or the ASCII value.</summary>
    public byte[] ToBytes() =>
        Encoding == Base64 ? Convert.FromBase64String(Value) : System.Text.Encoding.UTF8.GetBytes(Value);

    /// <summary>The text: base64 content is decoded as UTF-8 with invalid sequences replaced.</summary>
    public string ToText() => Encoding == Base64 ? System.Text.Encoding.UTF8.GetString(Convert.FromBase64String(Value)) : Value;

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

    /// <summary>Encodes text as its UTF-8 bytes (used for stdin).</summary>
    public static StreamPayload FromText(string? text) =>
        string.IsNullOrEmpty(text) ? Empty : FromBytes(System.Text.Encoding.UTF8.GetBytes(text));
}
