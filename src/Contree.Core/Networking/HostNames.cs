namespace Contree.Core.Networking;

/// <summary>
/// The one spelling of a host name that <see cref="HostPatterns"/> and the engine's egress guard compare: lower-case LDH labels (RFC 1123 §2.1) plus '_',
/// dot-separated, no empty label, without the trailing dot of a fully qualified name, at most 253 characters (RFC 1035
/// §2.3.4). Anything else (percent-encoding, whitespace, non-ASCII) is refused rather than interpreted.
/// </summary>
public static class HostNames
{
    public const int MaxLength = 253;
    private const int MaxLabelLength = 63;

    /// <summary>Normalises a name received as bytes (a TLS host_name, RFC 6066 §3: ASCII).</summary>
    public static bool TryNormalize(ReadOnlySpan<byte> name, out string host)
    {
        host = "";
        if (name.Length > MaxLength + 1)
        {
            return false;
        }

        Span<char> chars = stackalloc char[name.Length];
        for (var i = 0; i < name.Length; i++)
        {
            chars[i] = (char)name[i]; // bytes over 0x7F become Latin-1 letters, which the check below refuses
        }

        return TryNormalize(chars, out host);
    }

    public static bool TryNormalize(ReadOnlySpan<char> name, out string host)
    {
        host = "";
        if (name.EndsWith('.'))
        {
            name = name[..^1];
        }

        if (name.IsEmpty || name.Length > MaxLength)
        {
            return false;
        }

        Span<char> lower = stackalloc char[name.Length];
        var labelLength = 0;
        for (var i = 0; i < name.Length; i++)
        {
            var c = name[i] is >= 'A' and <= 'Z' ? (char)(name[i] + ('a' - 'A')) : name[i];
            if (c == '.')
            {
                if (labelLength == 0)
                {
                    return false;
                }

                labelLength = 0;
            }
            else if (c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '_')
            {
                if (++labelLength > MaxLabelLength)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }

            lower[i] = c;
        }

        if (labelLength == 0)
        {
            return false;
        }

        host = new string(lower);
        return true;
    }
}
