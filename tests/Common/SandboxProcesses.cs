using System.Globalization;

namespace Contree.Tests.Common;

/// <summary>Finds processes of this host by a marker in their command line, to prove a sandbox is really gone.</summary>
public static class SandboxProcesses
{
    /// <summary>A number usable as a sleep duration that also marks every process of the run (bwrap, shell, sleep).</summary>
    public static string NewMarker() => Random.Shared.Next(6_000_000, 7_000_000).ToString(CultureInfo.InvariantCulture);

    /// <summary>"pid: command line" (NULs as spaces) of the live processes whose command line contains <paramref name="marker"/>.</summary>
    public static List<string> With(string marker)
    {
        var found = new List<string>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out _))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains(marker, StringComparison.Ordinal))
                {
                    found.Add($"{Path.GetFileName(directory)}: {cmdline.Trim()}");
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while we looked.
            }
        }

        return found;
    }

    /// <summary>Waits until a process running <c>sleep {marker}</c> exists (a sandbox has no "started" notification).</summary>
    public static async Task WaitForSleepAsync(string marker, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(deadline);
        while (!With(marker).Any(p => p.Contains($"sleep {marker}", StringComparison.Ordinal)))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(25), timeout.Token);
        }
    }
}
