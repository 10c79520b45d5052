using Contree.Core.Errors;

namespace Contree.Mcp.Files;

/// <summary>Paths on the machine running the server, as agents give them.</summary>
internal static class LocalPaths
{
    /// <summary>Expands a leading <c>~</c> or <c>~/</c> to the home directory (like Python's expanduser for the current user).</summary>
    public static string ExpandHome(string path)
    {
        ArgumentNullException.ThrowIfNull(path);
        if (path == "~" || path.StartsWith("~/", StringComparison.Ordinal))
        {
            var home = Environment.GetEnvironmentVariable("HOME");
            if (string.IsNullOrEmpty(home))
            {
                home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
            }

            return home + path[1..];
        }

        return path;
    }

    /// <summary>Expands <c>~</c> and requires an absolute path; the error names the parameter and the given text.</summary>
    public static string RequireAbsolute(string? path, string parameter)
    {
        if (string.IsNullOrWhiteSpace(path))
        {
            throw ContreeException.InvalidArgument($"{parameter} is required");
        }

        if (path.Contains('\0', StringComparison.Ordinal))
        {
            // Path.GetFullPath would throw an ArgumentException, which is an internal error, not the agent's.
            throw ContreeException.InvalidArgument($"{parameter} must not contain NUL characters");
        }

        var expanded = ExpandHome(path.Trim());
        if (!Path.IsPathFullyQualified(expanded))
        {
            throw ContreeException.InvalidArgument($"{parameter} must be an absolute path, got: {path}");
        }

        return Path.GetFullPath(expanded);
    }
}
