namespace Contree.Tests.Common;

/// <summary>Looks at the host's processes the way an administrator would: through /proc.</summary>
public static class HostProcesses
{
    /// <summary>Pids of live processes one of whose arguments contains <paramref name="text"/>.</summary>
    public static IReadOnlyList<int> WithArgumentContaining(string text)
    {
        var found = new List<int>();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            try
            {
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline"));
                if (cmdline.Split('\0').Any(argument => argument.Contains(text, StringComparison.Ordinal)) && !IsZombie(directory))
                {
                    found.Add(pid);
                }
            }
            catch (IOException)
            {
                // Exited while being read.
            }
            catch (UnauthorizedAccessException)
            {
            }
        }

        return found;
    }

    /// <summary>Polls until no live process has an argument containing <paramref name="text"/>; returns those left.</summary>
    public static async Task<IReadOnlyList<int>> WaitUntilGoneAsync(string text, TimeSpan bound, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + bound;
        while (true)
        {
            var left = WithArgumentContaining(text);
            if (left.Count == 0 || DateTime.UtcNow > deadline)
            {
                return left;
            }

            await Task.Delay(50, cancellationToken);
        }
    }

    /// <summary>Status, wait channel and parent of each pid, for failure messages.</summary>
    public static string Describe(IEnumerable<int> pids) => string.Join("; ", pids.Select(static pid =>
    {
        try
        {
            var status = File.ReadLines($"/proc/{pid}/status").Where(static l => l.StartsWith("State:", StringComparison.Ordinal) || l.StartsWith("PPid:", StringComparison.Ordinal));
            var cmdline = File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' ');
            return $"{pid} [{string.Join(", ", status)}] {cmdline[..Math.Min(120, cmdline.Length)]}";
        }
        catch (IOException)
        {
            return $"{pid} (gone)";
        }
    }));

    /// <summary>SIGKILLs each pid that still exists (cleanup after a failed assertion).</summary>
    public static void Kill(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            try
            {
                using var process = System.Diagnostics.Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception exception) when (exception is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Already gone.
            }
        }
    }

    private static bool IsZombie(string directory)
    {
        var stat = File.ReadAllText(Path.Combine(directory, "stat"));
        var state = stat[(stat.LastIndexOf(')') + 2)..];
        return state.Length > 0 && state[0] is 'Z' or 'X';
    }
}
