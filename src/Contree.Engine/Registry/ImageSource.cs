using Contree.Core.Errors;
using Contree.Core.References;

namespace Contree.Engine.Registry;

/// <summary>A parsed import URL (the transports and syntax follow containers-transports(5)).</summary>
internal sealed record ImageSource
{
    public required ImageSourceKind Kind { get; init; }

    /// <summary>The registry reference for <see cref="ImageSourceKind.Registry"/>.</summary>
    public OciReference? Reference { get; init; }

    /// <summary>Absolute path of the layout directory or archive file for local sources.</summary>
    public string Path { get; init; } = "";

    /// <summary>Tag (layouts) or <c>name:tag</c> (docker archives) that selects one image; null picks the only one.</summary>
    public string? Selector { get; init; }

    /// <summary>Canonical text, e.g. <c>docker://docker.io/library/alpine:3.20</c> or <c>oci:/srv/layout:v1</c>.</summary>
    public string Canonical => Kind switch
    {
        ImageSourceKind.Registry => Reference!.ToString(),
        _ => $"{Prefix(Kind)}{Path}{(Selector is null ? "" : ":" + Selector)}",
    };

    public override string ToString() => Canonical;

    public static ImageSource Parse(string url)
    {
        var text = (url ?? "").Trim();
        foreach (var kind in (ImageSourceKind[])[ImageSourceKind.OciArchive, ImageSourceKind.DockerArchive, ImageSourceKind.OciLayout])
        {
            var prefix = Prefix(kind);
            if (text.StartsWith(prefix, StringComparison.Ordinal) && !text.StartsWith("oci://", StringComparison.Ordinal))
            {
                return ParseLocal(kind, text, text[prefix.Length..]);
            }
        }

        return new ImageSource { Kind = ImageSourceKind.Registry, Reference = OciReference.Parse(text) };
    }

    private static string Prefix(ImageSourceKind kind) => kind switch
    {
        ImageSourceKind.OciLayout => "oci:",
        ImageSourceKind.OciArchive => "oci-archive:",
        ImageSourceKind.DockerArchive => "docker-archive:",
        _ => "docker://",
    };

    private static ImageSource ParseLocal(ImageSourceKind kind, string url, string rest)
    {
        if (!rest.StartsWith('/'))
        {
            throw ContreeException.InvalidArgument($"'{url}': the path of a local image source must be absolute, got: '{rest}'");
        }

        // A path may contain ':' itself, so the selector starts after the first prefix that exists.
        if (Exists(kind, rest))
        {
            return new ImageSource { Kind = kind, Path = rest };
        }

        for (var colon = rest.IndexOf(':', StringComparison.Ordinal); colon > 0; colon = rest.IndexOf(':', colon + 1))
        {
            var path = rest[..colon];
            if (Exists(kind, path))
            {
                var selector = rest[(colon + 1)..];
                if (selector.Length == 0)
                {
                    throw ContreeException.InvalidArgument($"'{url}': the tag after ':' is empty");
                }

                return new ImageSource { Kind = kind, Path = path, Selector = selector };
            }
        }

        var what = kind == ImageSourceKind.OciLayout ? "OCI layout directory" : "archive file";
        throw ContreeException.NotFound($"'{url}': {what} '{rest}' does not exist");
    }

    private static bool Exists(ImageSourceKind kind, string path) =>
        kind == ImageSourceKind.OciLayout ? Directory.Exists(path) : File.Exists(path);
}
