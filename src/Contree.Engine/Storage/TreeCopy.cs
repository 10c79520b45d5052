using System.Diagnostics;
using Contree.Core.Errors;

namespace Contree.Engine.Storage;

/// <summary>
/// Copies a run's upper directory, exactly as overlayfs left it, to another file system: GNU cp with
/// <c>--no-dereference</c>, and mode, owner, times, hard links and xattrs preserved, so whiteouts (character devices
/// 0/0), opaque markers (<c>user.overlay.opaque</c>), set-uid bits and file capabilities stay what they were. A
/// failure to keep any of them fails the copy (an explicit <c>--preserve</c> list is diagnosed, unlike <c>-a</c>).
/// </summary>
internal static class TreeCopy
{
    private const string CpPath = "/bin/cp";

    /// <summary>Copies <paramref name="source"/> to <paramref name="destination"/>, which must not exist yet.</summary>
    public static void Copy(string source, string destination)
    {
        var start = new ProcessStartInfo(CpPath)
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[]
        {
            "--recursive", "--no-dereference", "--preserve=mode,ownership,timestamps,links,xattr", "--sparse=auto",
            "--no-target-directory", "--", source, destination,
        })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw ContreeException.Internal($"could not start {CpPath}");
        var stderr = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            throw ContreeException.Internal($"copying '{source}' to '{destination}' failed: cp exited {process.ExitCode}: {stderr.Result.Trim()}");
        }
    }
}
