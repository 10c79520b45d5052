using System.Security.Cryptography;
using System.Text.RegularExpressions;

namespace Contree.Engine.Registry;

/// <summary>sha256 digests (image-spec descriptor.md "Digests"); the only algorithm the importer accepts.</summary>
internal static partial class OciDigest
{
    /// <summary>True for <c>sha256:&lt;64 lower-case hex&gt;</c>; such a digest is also safe as a path component.</summary>
    public static bool IsSha256(string? digest) => digest is not null && Sha256Pattern().IsMatch(digest);

    public static string Of(ReadOnlySpan<byte> content) => "sha256:" + Convert.ToHexStringLower(SHA256.HashData(content));

    /// <summary>The hex part of a valid digest.</summary>
    public static string Hex(string digest) => digest["sha256:".Length..];

    [GeneratedRegex("^sha256:[0-9a-f]{64}$")]
    private static partial Regex Sha256Pattern();
}
