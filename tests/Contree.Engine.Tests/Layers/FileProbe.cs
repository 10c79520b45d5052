using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text;

namespace Contree.Engine.Tests.Layers;

/// <summary>Reads what the extractor wrote without following symlinks: stat(1) and lgetxattr(2).</summary>
internal static partial class FileProbe
{
    /// <summary><c>stat -c &lt;format&gt;</c> of the path itself (stat(1) does not follow symlinks without -L).</summary>
    public static string Stat(string path, string format)
    {
        var start = new ProcessStartInfo("stat") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(format);
        start.ArgumentList.Add(path);
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        return process.ExitCode == 0 ? output.Trim() : throw new IOException($"stat {path} failed: {process.StandardError.ReadToEnd()}");
    }

    /// <summary>The xattr value as text, or null when the path has no such attribute.</summary>
    public static string? GetXattr(string path, string name)
    {
        var buffer = new byte[4096];
        var length = Lgetxattr(path, name, buffer, (nuint)buffer.Length);
        return length < 0 ? null : Encoding.UTF8.GetString(buffer, 0, (int)length);
    }

    // lgetxattr: https://man7.org/linux/man-pages/man2/lgetxattr.2.html
    [LibraryImport("libc", EntryPoint = "lgetxattr", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial nint Lgetxattr(string path, string name, byte[] value, nuint size);
}
