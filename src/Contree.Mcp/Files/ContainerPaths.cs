using Contree.Core.Errors;

namespace Contree.Mcp.Files;

/// <summary>Paths inside a sandbox or an image, which are always POSIX and absolute.</summary>
internal static class ContainerPaths
{
    /// <summary>
    /// Normalises an absolute container path: collapses repeated '/' and '.' components and drops a trailing '/'.
    /// '..' components and NUL characters are rejected rather than resolved, so a path never escapes its meaning.
    /// </summary>
    public static string NormalizeAbsolute(string? path, string parameter)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw ContreeException.InvalidArgument($"{parameter} is required");
        }

        if (!path.StartsWith('/'))
        {
            throw ContreeException.InvalidArgument($"{parameter} must be an absolute container path starting with '/', got: {path}");
        }

        return Normalize(path, parameter, path);
    }

    /// <summary>Normalises a path inside an image, adding the leading '/' when it is missing (<c>etc/passwd</c> → <c>/etc/passwd</c>).</summary>
    public static string NormalizeInImage(string? path, string parameter)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw ContreeException.InvalidArgument($"{parameter} is required");
        }

        return Normalize("/" + path.TrimStart('/'), parameter, path);
    }

    private static string Normalize(string path, string parameter, string original)
    {
        if (path.Contains('\0', StringComparison.Ordinal))
        {
            throw ContreeException.InvalidArgument($"{parameter} must not contain NUL characters");
        }

        var parts = new List<string>();
        foreach (var part in path.Split('/', StringSplitOptions.RemoveEmptyEntries))
        {
            if (part == ".")
            {
                continue;
            }

            if (part == "..")
            {
                throw ContreeException.InvalidArgument($"{parameter} must not contain '..' components, got: {original}");
            }

            parts.Add(part);
        }

        return "/" + string.Join('/', parts);
    }
}
