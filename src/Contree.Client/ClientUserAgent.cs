using System.Runtime.InteropServices;
using System.Text;

namespace Contree.Client;

/// <summary>
/// The User-Agent of every request: <c>contree-mcp/&lt;version&gt; dotnet/&lt;runtime&gt; &lt;OS name&gt;/&lt;release&gt;</c>,
/// e.g. <c>contree-mcp/0.1.0 dotnet/10.0.1 Linux/6.18.44-fc</c>.
/// </summary>
internal static class ClientUserAgent
{
    public static string Build(string productVersion) =>
        $"contree-mcp/{Token(productVersion)} dotnet/{Token(Environment.Version.ToString())} {OsName()}/{Token(OsRelease())}";

    private static string OsName()
    {
        if (OperatingSystem.IsLinux())
        {
            return "Linux";
        }

        if (OperatingSystem.IsMacOS())
        {
            return "Darwin";
        }

        return OperatingSystem.IsWindows() ? "Windows" : Token(RuntimeInformation.OSDescription.Split(' ')[0]);
    }

    private static string OsRelease()
    {
        // uname -r; the kernel publishes it here (proc(5) /proc/sys/kernel/osrelease).
        try
        {
            if (OperatingSystem.IsLinux())
            {
                var release = File.ReadAllText("/proc/sys/kernel/osrelease").Trim();
                if (release.Length > 0)
                {
                    return release;
                }
            }
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }

        return Environment.OSVersion.Version.ToString();
    }

    /// <summary>Keeps a product token valid (RFC 9110 5.6.2 tchar); anything else becomes '_'.</summary>
    private static string Token(string text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return "unknown";
        }

        var builder = new StringBuilder(text.Length);
        foreach (var c in text)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || "!#$%&'*+-.^_`|~".Contains(c, StringComparison.Ordinal) ? c : '_');
        }

        return builder.ToString();
    }
}
