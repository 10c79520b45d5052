using Contree.Core.Errors;

namespace Contree.Core.References;

/// <summary>
/// How agents name an image: a UUID, or <c>tag:&lt;tag&gt;</c>. The text is percent-decoded first, so
/// <c>tag:common%2Fpython</c> names the tag <c>common/python</c>.
/// </summary>
public readonly record struct ImageReference
{
    private ImageReference(Guid? uuid, string? tag)
    {
        Uuid = uuid;
        Tag = tag;
    }

    /// <summary>The UUID when the reference is one.</summary>
    public Guid? Uuid { get; }

    /// <summary>The tag when the reference is <c>tag:&lt;tag&gt;</c>.</summary>
    public string? Tag { get; }

    public bool IsTag => Tag is not null;

    public static bool TryParse(string? text, out ImageReference reference)
    {
        reference = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        string decoded;
        try
        {
            decoded = Uri.UnescapeDataString(text.Trim());
        }
        catch (UriFormatException)
        {
            return false;
        }

        if (decoded.StartsWith("tag:", StringComparison.Ordinal))
        {
            var tag = decoded[4..];
            if (tag.Length == 0)
            {
                return false;
            }

            reference = new ImageReference(null, tag);
            return true;
        }

        if (Guid.TryParse(decoded, out var uuid))
        {
            reference = new ImageReference(uuid, null);
            return true;
        }

        return false;
    }

    /// <summary>Parses or throws an InvalidArgument error that tells the agent the two accepted forms.</summary>
    public static ImageReference Parse(string? text) =>
        TryParse(text, out var reference)
            ? reference
            : throw ContreeException.InvalidArgument(
                $"Invalid image reference: '{text}'. Use an image UUID or 'tag:<name>' (for example 'tag:alpine:latest').");

    public override string ToString() => IsTag ? $"tag:{Tag}" : Uuid!.Value.ToString("D");
}
