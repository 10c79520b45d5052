using System.Text;

namespace Contree.Engine.Runtime;

/// <summary>Reads what the launch chain's own programs (wrapper, unshare, namespace init) wrote to their stderr.</summary>
internal static class LaunchLog
{
    /// <summary>More than any message of the chain; a longer log is cut, not read whole.</summary>
    private const int MaxBytes = 4096;

    /// <summary>The log's text, trimmed; empty when the chain said nothing or never got to open the file.</summary>
    public static string Read(string path)
    {
        try
        {
            using var file = File.OpenRead(path);
            var buffer = new byte[MaxBytes];
            var length = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
            return Encoding.UTF8.GetString(buffer, 0, length).Trim();
        }
        catch (FileNotFoundException)
        {
            return string.Empty;
        }
    }
}
