using System.Diagnostics;

namespace Contree.Mcp.Registry;

/// <summary>
/// Opens a URL in the user's browser, but only when the server runs inside a desktop session (DISPLAY or
/// WAYLAND_DISPLAY set and xdg-open available). A server on a remote host or in a container has no one to show the
/// page to, so then nothing is opened and the caller hands the URL to the user.
/// </summary>
internal sealed class DesktopBrowser
{
    private readonly Func<string, string?> _environment;
    private readonly Func<string, string, bool> _launch;

    public DesktopBrowser()
        : this(Environment.GetEnvironmentVariable, Launch)
    {
    }

    internal DesktopBrowser(Func<string, string?> environment, Func<string, string, bool> launch)
    {
        _environment = environment;
        _launch = launch;
    }

    /// <summary>True when a browser was started for <paramref name="url"/>.</summary>
    public bool TryOpen(string url)
    {
        if (string.IsNullOrEmpty(_environment("DISPLAY")) && string.IsNullOrEmpty(_environment("WAYLAND_DISPLAY")))
        {
            return false;
        }

        var opener = FindOnPath("xdg-open");
        return opener is not null && _launch(opener, url);
    }

    private string? FindOnPath(string program)
    {
        foreach (var directory in (_environment("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    private static bool Launch(string opener, string url)
    {
        try
        {
            var start = new ProcessStartInfo(opener, [url])
            {
                UseShellExecute = false,
                RedirectStandardInput = true,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            };
            using var process = Process.Start(start);
            process?.StandardInput.Close();
            return process is not null;
        }
        catch (Exception ex) when (ex is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return false;
        }
    }
}
